package org.operon.engine;

import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.engine.EngineHarness.deploy;

/** Decision tables in the rules directory, compiled at run time: a spreadsheet and a CSV file. */
class RulesDecisionTableTest {
    private static final String IMPORTS = "org.operon.model.Event, org.operon.model.Decision, java.util.List";
    private static final String CONDITION = "type == \"$param\"";
    private static final String ACTION = "channels[\"decisions\"].send(Decision.of(\"$param\", e.getSubject(), "
            + "drools.getRule().getName(), List.of(e.getId())));";

    @TempDir
    Path tmp;
    EngineHarness operon;

    @BeforeEach
    void start() throws Exception {
        operon = new EngineHarness(tmp.resolve("rules"), tmp.resolve("data"));
    }

    @AfterEach
    void stop() {
        operon.close();
    }

    /** Event type → decision type, one row per mapping. */
    private static String[][] table(String... typeAndDecision) {
        String[][] rows = new String[8 + typeAndDecision.length / 2][];
        rows[0] = new String[]{"RuleSet", "org.example.tables"};
        rows[1] = new String[]{"Import", IMPORTS};
        rows[2] = new String[]{""};
        rows[3] = new String[]{"RuleTable Event notice"};
        rows[4] = new String[]{"CONDITION", "ACTION"};
        rows[5] = new String[]{"e : Event", ""};
        rows[6] = new String[]{CONDITION, ACTION};
        rows[7] = new String[]{"Event type", "Decision"};
        for (int i = 0; i < typeAndDecision.length; i += 2) {
            rows[8 + i / 2] = new String[]{typeAndDecision[i], typeAndDecision[i + 1]};
        }
        return rows;
    }

    private static String csv(String[][] rows) {
        StringBuilder out = new StringBuilder();
        for (String[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(c == 0 ? "" : ",").append('"').append(row[c].replace("\"", "\"\"")).append('"');
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static byte[] xlsx(String[][] rows) throws IOException {
        try (XSSFWorkbook workbook = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            Sheet sheet = workbook.createSheet("Tables");
            for (int r = 0; r < rows.length; r++) {
                Row row = sheet.createRow(r);
                for (int c = 0; c < rows[r].length; c++) {
                    row.createCell(c).setCellValue(rows[r][c]);
                }
            }
            workbook.write(out);
            return out.toByteArray();
        }
    }

    @Test
    void aCsvDecisionTableDecidesAfterAReload() throws IOException {
        operon.file("routing.drl.csv", csv(table("deploy", "deploy-seen", "restart", "restart-seen")));

        ReloadableRules.Reload reload = operon.reload();

        assertThat(reload.ok()).as("errors: %s", reload.errors()).isTrue();
        assertThat(operon.reloader.status().rules()).filteredOn(r -> r.origin().equals("routing.drl.csv")).hasSize(2);
        operon.at(Duration.ofSeconds(1)).send(deploy("d1", "web"));
        assertThat(operon.decisions("deploy-seen")).hasSize(1);
        assertThat(operon.decisions("restart-seen")).isEmpty();
    }

    @Test
    void aSpreadsheetDecisionTableDecidesAfterAReloadAndAChangedRowChangesTheDecision() throws IOException {
        Path sheet = operon.rulesDir.resolve("routing.drl.xlsx");
        Files.write(sheet, xlsx(table("deploy", "deploy-seen")));
        assertThat(operon.reload().ok()).isTrue();
        operon.at(Duration.ofSeconds(1)).send(deploy("d1", "web"));

        Files.write(sheet, xlsx(table("deploy", "deploy-announced")));
        assertThat(operon.reload().ok()).isTrue();
        operon.send(deploy("d2", "web"));

        assertThat(operon.decisions("deploy-seen")).extracting(d -> d.getEventIds().get(0)).containsExactly("d1");
        assertThat(operon.decisions("deploy-announced")).extracting(d -> d.getEventIds().get(0)).containsExactly("d2");
    }

    @Test
    void aTableThatIsNotASpreadsheetIsRefusedByName() throws IOException {
        operon.file("broken.drl.xlsx", "this is not a workbook");

        ReloadableRules.Reload reload = operon.reload();

        assertThat(reload.ok()).isFalse();
        assertThat(reload.errors()).singleElement().satisfies(e -> {
            assertThat(e.file()).isEqualTo("broken.drl.xlsx");
            assertThat(e.message()).startsWith("cannot read the decision table");
        });
    }
}
