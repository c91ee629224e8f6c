package org.operon.rules;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.DataFormatter;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The rows of the packaged routing tables keep the promises docs/routing.md makes: the routing is
 * deterministic (no two rows of one salience can match the same alert), every alert is routed (a default
 * row), every "Escalate after" cell can be read, and salience follows specificity.
 */
class RoutingTableRowsTest {
    /** Columns of routing.drl.xlsx: Service, Severity, Business hours, Salience, Team, Priority, Channels, Escalate after. */
    private static final int SERVICE = 0, SEVERITY = 1, HOURS = 2, SALIENCE = 3, ESCALATE = 7;
    private static final int FIRST_ROW = 9;

    private static List<String[]> spreadsheetRows() throws IOException {
        List<String[]> rows = new ArrayList<>();
        DataFormatter text = new DataFormatter();
        try (InputStream in = RoutingTableRowsTest.class.getClassLoader()
                .getResourceAsStream("org/operon/rules/routing.drl.xlsx"); XSSFWorkbook workbook = new XSSFWorkbook(in)) {
            Sheet sheet = workbook.getSheet("Routing");
            for (int r = FIRST_ROW; r <= sheet.getLastRowNum(); r++) {
                Row row = sheet.getRow(r);
                String[] cells = new String[8];
                for (int c = 0; c < cells.length; c++) {
                    Cell cell = row == null ? null : row.getCell(c);
                    cells[c] = cell == null ? "" : text.formatCellValue(cell).strip();
                }
                if (!String.join("", cells).isEmpty()) {
                    rows.add(cells);
                }
            }
        }
        return rows;
    }

    /** The rows of routing-overrides.drl.csv after its header (Alertname, Salience, Team, Priority, Channels, Escalate after). */
    private static List<String[]> csvRows() throws IOException {
        try (InputStream in = RoutingTableRowsTest.class.getClassLoader()
                .getResourceAsStream("org/operon/rules/routing-overrides.drl.csv")) {
            List<String> lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            int header = lines.indexOf("\"Alertname\",\"Salience\",\"Team\",\"Priority\",\"Channels\",\"Escalate after\"");
            assertThat(header).as("the header row of the overrides").isPositive();
            return lines.subList(header + 1, lines.size()).stream().filter(l -> !l.isBlank())
                    .map(RoutingTableRowsTest::csvCells).toList();
        }
    }

    private static String[] csvCells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted && ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                cell.append('"');
                i++;
            } else if (ch == '"') {
                quoted = !quoted;
            } else if (ch == ',' && !quoted) {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(ch);
            }
        }
        cells.add(cell.toString());
        return cells.toArray(String[]::new);
    }

    private static boolean any(String cell) {
        return cell.isEmpty() || cell.equals(RoutingRequest.ANY);
    }

    /** True when some alert matches both rows: in each condition column, the cells are equal or one means any. */
    private static boolean overlap(String[] a, String[] b) {
        for (int c : new int[]{SERVICE, SEVERITY, HOURS}) {
            if (!any(a[c]) && !any(b[c]) && !a[c].equals(b[c])) {
                return false;
            }
        }
        return true;
    }

    @Test
    void noTwoRowsOfOneSalienceMatchTheSameAlert() throws IOException {
        List<String[]> rows = spreadsheetRows();
        assertThat(rows).hasSize(9);
        for (int i = 0; i < rows.size(); i++) {
            for (int j = i + 1; j < rows.size(); j++) {
                String[] a = rows.get(i), b = rows.get(j);
                if (a[SALIENCE].equals(b[SALIENCE])) {
                    assertThat(overlap(a, b)).as("rows %s and %s have salience %s and can match one alert",
                            FIRST_ROW + 1 + i, FIRST_ROW + 1 + j, a[SALIENCE]).isFalse();
                }
            }
        }
    }

    @Test
    void salienceIsTheSpecificityOfTheRow() throws IOException {
        for (String[] row : spreadsheetRows()) {
            int specificity = (any(row[SERVICE]) ? 0 : 100) + (any(row[SEVERITY]) ? 0 : 10) + (any(row[HOURS]) ? 0 : 1);
            assertThat(Integer.parseInt(row[SALIENCE])).as("salience of %s", String.join("|", row)).isEqualTo(specificity);
        }
    }

    @Test
    void theLastRowRoutesEveryAlert() throws IOException {
        List<String[]> rows = spreadsheetRows();
        String[] last = rows.get(rows.size() - 1);
        assertThat(last[SERVICE]).isEqualTo("*");
        assertThat(last[SEVERITY]).isEmpty();
        assertThat(last[HOURS]).isEmpty();
        assertThat(last[SALIENCE]).isEqualTo("0");
    }

    @Test
    void overridesWinOverEveryRowOfTheSpreadsheet() throws IOException {
        int highest = spreadsheetRows().stream().mapToInt(r -> Integer.parseInt(r[SALIENCE])).max().orElseThrow();
        List<String[]> overrides = csvRows();
        assertThat(overrides).isNotEmpty();
        for (String[] row : overrides) {
            assertThat(Integer.parseInt(row[1])).as("salience of override %s", row[0]).isGreaterThan(highest);
        }
        assertThat(overrides.stream().map(r -> r[0]).distinct().count()).as("one row per alertname")
                .isEqualTo(overrides.size());
    }

    @Test
    void everyEscalateAfterCellCanBeRead() throws IOException {
        List<String> cells = new ArrayList<>();
        spreadsheetRows().forEach(r -> cells.add(r[ESCALATE]));
        csvRows().forEach(r -> cells.add(r[5]));
        for (String cell : cells) {
            assertThatCode(() -> RoutingRequest.escalationDelay(cell)).as(cell).doesNotThrowAnyException();
        }
    }

    @Test
    void escalationDelaysAreReadAsDocumented() {
        assertThat(RoutingRequest.escalationDelay("never")).isNull();
        assertThat(RoutingRequest.escalationDelay("15m")).hasMinutes(15);
        assertThat(RoutingRequest.escalationDelay("1h30m")).hasMinutes(90);
        assertThat(RoutingRequest.escalationDelay("90s")).hasSeconds(90);
        for (String wrong : List.of("", "15", "15 min", "PT15M", "m")) {
            assertThatCode(() -> RoutingRequest.escalationDelay(wrong)).as(wrong)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
