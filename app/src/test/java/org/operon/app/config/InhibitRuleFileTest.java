package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.InhibitRule;
import org.operon.model.Matcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InhibitRuleFileTest {
    @TempDir
    Path dir;

    private Path file(String yaml) throws IOException {
        Path f = dir.resolve("inhibit.yaml");
        Files.writeString(f, yaml);
        return f;
    }

    @Test
    void readsRulesInAlertmanagersFormatNamedByPosition() throws IOException {
        List<InhibitRule> rules = InhibitRuleFile.read(file("""
                inhibit_rules:
                  - source_matchers: ['severity="critical"']
                    target_matchers: ['severity=~"warning|info"', 'alertname != Watchdog']
                    equal: [alertname, service]
                  - source_match: {alertname: NodeDown}
                    source_match_re: {cluster: "prod-.*"}
                    target_match: {severity: warning}
                """));

        assertThat(rules).extracting(InhibitRule::getName).containsExactly("rule 1", "rule 2");
        InhibitRule first = rules.get(0);
        assertThat(first.getSource()).containsExactly(Matcher.equal("severity", "critical"));
        assertThat(first.getTarget()).containsExactly(Matcher.regex("severity", "warning|info"),
                Matcher.notEqual("alertname", "Watchdog"));
        assertThat(first.getEqual()).containsExactly("alertname", "service");
        InhibitRule second = rules.get(1);
        assertThat(second.getSource()).containsExactly(Matcher.equal("alertname", "NodeDown"),
                Matcher.regex("cluster", "prod-.*"));
        assertThat(second.getTarget()).containsExactly(Matcher.equal("severity", "warning"));
        assertThat(second.getEqual()).isEmpty();
        // Behaviour, not just structure: a critical alert inhibits a warning of the same alertname and service.
        Map<String, String> critical = Map.of("alertname", "DiskFull", "service", "db", "severity", "critical");
        assertThat(first.inhibits(critical, Map.of("alertname", "DiskFull", "service", "db", "severity", "warning")))
                .isTrue();
        assertThat(first.inhibits(critical, Map.of("alertname", "DiskFull", "service", "web", "severity", "warning")))
                .isFalse();
    }

    @Test
    void anAlertmanagerConfigFileMayBeUsedAsItIs() throws IOException {
        List<InhibitRule> rules = InhibitRuleFile.read(file("""
                global: {resolve_timeout: 5m}
                route: {receiver: team}
                receivers: [{name: team}]
                inhibit_rules:
                  - source_matchers: [severity=critical]
                    target_matchers: [severity=warning]
                """));
        assertThat(rules).hasSize(1);
    }

    @Test
    void anEmptyFileOrListHasNoRules() throws IOException {
        assertThat(InhibitRuleFile.read(file(""))).isEmpty();
        assertThat(InhibitRuleFile.read(file("inhibit_rules: []\n"))).isEmpty();
        assertThat(InhibitRuleFile.read(file("inhibit_rules:\n"))).isEmpty();
    }

    private void refused(String yaml, String... parts) throws IOException {
        Path f = file(yaml);
        assertThatThrownBy(() -> InhibitRuleFile.read(f)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith(f.toString()).hasMessageContainingAll(parts);
    }

    @Test
    void refusesBrokenFilesNamingTheFileTheRuleAndTheProblem() throws IOException {
        refused("inhibit_rules:\n  - source_matchers: [a=b\n", "not valid YAML");
        refused("inhibit_rules: {a: b}\n", "must be a YAML mapping with a list \"inhibit_rules\"");
        refused("- a\n", "must be a YAML mapping");
        refused("inhibit_rule:\n  - source_matchers: [a=b]\n", "unknown top-level key \"inhibit_rule\"");
        String ok = "  - source_matchers: [a=b]\n    target_matchers: [c=d]\n";
        refused("inhibit_rules:\n" + ok + "  - target_matchers: [c=d]\n", "rule 2: no source matchers",
                "source_matchers");
        refused("inhibit_rules:\n  - source_matchers: [a=b]\n", "rule 1: no target matchers");
        refused("inhibit_rules:\n" + ok + ok + "  - source_matchers: [a=b]\n    target_matchers: [severity]\n",
                "rule 3: \"target_matchers\" item 1: 'severity' is not a matcher");
        refused("inhibit_rules:\n  - source_match_re: {a: \"(\"}\n    target_matchers: [c=d]\n",
                "rule 1: \"source_match_re\" a: invalid regular expression");
        refused("inhibit_rules:\n  - source_matchers: [a=b]\n    target_matchers: [c=d]\n    equals: [x]\n",
                "rule 1: unknown key \"equals\"");
        refused("inhibit_rules:\n  - source_matchers: a=b\n    target_matchers: [c=d]\n",
                "rule 1: \"source_matchers\" must be a list");
        refused("inhibit_rules:\n  - source_match: [a]\n    target_matchers: [c=d]\n",
                "rule 1: \"source_match\" must be a mapping");
        refused("inhibit_rules:\n  - source_matchers: [a=b]\n    target_matchers: [c=d]\n    equal: [\"\"]\n",
                "rule 1: \"equal\" item 1 must be a non-empty text");
        refused("inhibit_rules:\n  - just text\n", "rule 1: must be a mapping");
    }

    @Test
    void theConfigurationReadsTheFileAtLoadAndNamesTheSettingOnError() throws IOException {
        Path f = file("inhibit_rules:\n  - source_matchers: [severity=critical]\n"
                + "    target_matchers: [severity=warning]\n");
        OperonConfig config = OperonConfig.load(Map.of("OPERON_INHIBIT_FILE", f.toString()), new Properties());
        assertThat(config.inhibitRules()).extracting(InhibitRule::getName).containsExactly("rule 1");
        assertThat(OperonConfig.load(Map.of(), new Properties()).inhibitRules()).isEmpty();

        Files.writeString(f, "inhibit_rules:\n  - source_matchers: [severity=critical]\n");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_INHIBIT_FILE", f.toString()), new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.inhibit.file", f.toString(), "rule 1: no target matchers");
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_INHIBIT_FILE", missing.toString()), new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.inhibit.file", missing.toString(), "cannot be read");
    }
}
