package org.operon.rules;

import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.ss.usermodel.Workbook;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.definition.rule.Rule;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.internal.builder.DecisionTableConfiguration;
import org.kie.internal.builder.DecisionTableInputType;
import org.kie.internal.builder.KnowledgeBuilder;
import org.kie.internal.builder.KnowledgeBuilderFactory;
import org.kie.internal.io.ResourceFactory;
import org.operon.engine.RuleSource;
import org.operon.engine.session.CompiledRules;
import org.operon.engine.session.RuleSession;
import org.operon.engine.session.RulesCompiler;
import org.operon.model.Routing;

import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.operon.rules.RoutingTest.alert;
import static org.operon.rules.RoutingTest.firing;
import static org.operon.rules.Timeline.T0;

/**
 * Changing a row of routing.drl.xlsx changes the decision: the packaged spreadsheet with one cell changed
 * is compiled with the KIE API into the packaged kbase in place of the packaged table, as the rules
 * directory does with a user's table.
 */
class RoutingTableChangeTest {
    private static final String TABLE = "org/operon/rules/routing.drl.xlsx";
    private static final String PACKAGE = "org.operon.rules";
    /** Sheet row 11 (index 10): db, critical, outside business hours. */
    private static final int DB_CRITICAL_OUT_OF_HOURS = 10;
    private static final int TEAM_COLUMN = 4;

    @TempDir
    Path tmp;

    @Test
    void changingTheTeamOfARowChangesTheTeamTheAlertIsRoutedTo() throws Exception {
        Path edited = tmp.resolve("routing.drl.xlsx");
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(TABLE);
             Workbook workbook = new XSSFWorkbook(in);
             OutputStream out = Files.newOutputStream(edited)) {
            Sheet sheet = workbook.getSheet("Routing");
            Cell team = sheet.getRow(DB_CRITICAL_OUT_OF_HOURS).getCell(TEAM_COLUMN);
            assertThat(rowText(sheet.getRow(DB_CRITICAL_OUT_OF_HOURS))).startsWith("db|critical|false|");
            assertThat(team.getStringCellValue()).isEqualTo("db");
            team.setCellValue("dba-night-shift");
            workbook.write(out);
        }

        Map<String, String> labels = alert("HighLatency", "db", "critical");
        assertThat(routeWith(packagedKieBase(), labels).getTeam()).as("the packaged table").isEqualTo("db");
        assertThat(routeWith(withTable(edited), labels)).satisfies(r -> {
            assertThat(r.getTeam()).isEqualTo("dba-night-shift");
            assertThat(r.getRule()).isEqualTo("Routing_11");
        });
    }

    @Test
    void aRoutingTableInTheRulesDirectoryWinsWithAHigherSalience() throws Exception {
        String siteTable = String.join("\n",
                "\"RuleSet\",\"org.example.routing\"",
                "\"Import\",\"org.operon.rules.RoutingRequest, org.operon.model.Priority\"",
                "\"RuleTable Site routing\"",
                "\"CONDITION\",\"CONDITION\",\"PRIORITY\",\"ACTION\",\"ACTION\",\"ACTION\",\"ACTION\"",
                // One pattern over two condition columns: in CSV, each of its cells ends with "..."
                // (a spreadsheet merges the cells instead).
                "\"request : RoutingRequest...\",\"request : RoutingRequest...\",\"\",\"request\",\"request\",\"request\",\"\"",
                "\"serviceIs(\"\"$param\"\")\",\"severity == \"\"$param\"\"\",\"\",\"setTeam(\"\"$param\"\")\","
                        + "\"setPriority(Priority.$param)\",\"setChannels(\"\"$param\"\")\","
                        + "\"insert(request.route(\"\"$param\"\", drools.getRule().getName())); delete(request);\"",
                "\"Service\",\"Severity\",\"Salience\",\"Team\",\"Priority\",\"Channels\",\"Escalate after\"",
                "\"db\",\"critical\",\"510\",\"db-site\",\"P2\",\"opsgenie-db, slack-db\",\"5m\"",
                "");
        CompiledRules rules = RulesCompiler.compile(List.of(
                new RuleSource("site-routing.drl.csv", siteTable.getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        assertThat(routeIn(rules.open(T0, decision -> { }), alert("HighLatency", "db", "critical"))).satisfies(r -> {
            assertThat(r.getTeam()).isEqualTo("db-site");
            assertThat(r.getPriority()).isEqualTo(org.operon.model.Priority.P2);
            assertThat(r.getChannels()).containsExactly("opsgenie-db", "slack-db");
            assertThat(r.getEscalationDelay()).hasMinutes(5);
            assertThat(r.getRule()).isEqualTo("Site routing_8");
        });
        assertThat(routeIn(rules.open(T0, decision -> { }), alert("HighLatency", "checkout", "critical")).getTeam())
                .as("other alerts keep the packaged rows").isEqualTo("payments");
    }

    @Test
    void aRuleInTheRulesDirectoryCanSetTheBusinessHours() throws Exception {
        String hours = String.join("\n",
                "package org.example.routing;",
                "import org.operon.model.BusinessHours;",
                "rule \"our business hours: every day, 08:00 to 20:00 UTC\"",
                "    salience 10",
                "when",
                "    not BusinessHours()",
                "then",
                "    insert(new BusinessHours(java.util.EnumSet.allOf(java.time.DayOfWeek.class),",
                "            java.time.LocalTime.of(8, 0), java.time.LocalTime.of(20, 0), java.time.ZoneId.of(\"UTC\")));",
                "end",
                "");
        CompiledRules rules = RulesCompiler.compile(List.of(
                new RuleSource("hours.drl", hours.getBytes(java.nio.charset.StandardCharsets.UTF_8))));

        // T0 is Saturday 12:00 UTC: outside the standard week, inside this one.
        assertThat(routeIn(rules.open(T0, decision -> { }), alert("HighLatency", "db", "critical"))).satisfies(r -> {
            assertThat(r.isBusinessHours()).isTrue();
            assertThat(r.getRule()).isEqualTo("Routing_10");
        });
    }

    private static String rowText(Row row) {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < 3; c++) {
            Cell cell = row.getCell(c);
            text.append(cell == null ? "" : cell.getStringCellValue()).append('|');
        }
        return text.toString();
    }

    private static KieBase packagedKieBase() {
        return KieServices.get().getKieClasspathContainer(RuleSession.class.getClassLoader())
                .newKieBase(RuleSession.PACKAGED_KBASE, null);
    }

    /** A fresh packaged kbase whose rows of the Routing table are replaced by those of {@code table}. */
    private static KieBase withTable(Path table) throws Exception {
        KieBase kieBase = packagedKieBase();
        List<String> packagedRows = new ArrayList<>();
        for (Rule rule : kieBase.getKiePackage(PACKAGE).getRules()) {
            if (rule.getName().startsWith("Routing_")) {
                packagedRows.add(rule.getName());
            }
        }
        assertThat(packagedRows).hasSize(9);
        packagedRows.forEach(name -> kieBase.removeRule(PACKAGE, name));

        DecisionTableConfiguration configuration = KnowledgeBuilderFactory.newDecisionTableConfiguration();
        configuration.setInputType(DecisionTableInputType.XLS);
        Resource resource = ResourceFactory.newByteArrayResource(Files.readAllBytes(table))
                .setSourcePath("routing.drl.xlsx");
        KnowledgeBuilder builder = KnowledgeBuilderFactory.newKnowledgeBuilder(kieBase);
        builder.add(resource, ResourceType.DTABLE, configuration);
        assertThat(builder.getErrors()).as("compiling the edited table").isEmpty();
        return kieBase;
    }

    private static Routing routeWith(KieBase kieBase, Map<String, String> labels) {
        return routeIn(RuleSession.open(kieBase, T0, decision -> { }), labels);
    }

    /** The Routing of an alert that fires at T0 (a Saturday) in {@code opened}, which is closed after. */
    private static Routing routeIn(RuleSession opened, Map<String, String> labels) {
        try (RuleSession session = opened) {
            session.process(List.of(firing("r1", labels).stamped(1, T0)));
            session.advanceTo(T0 + 1_000);
            return session.facts(Routing.class).stream().findFirst()
                    .orElseThrow(() -> new AssertionError("no Routing"));
        }
    }
}
