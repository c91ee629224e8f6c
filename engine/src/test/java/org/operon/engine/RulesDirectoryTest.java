package org.operon.engine;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which files of the rules directory are rule files, and when the directory counts as changed. */
class RulesDirectoryTest {
    @TempDir
    Path dir;

    private void write(String name, String content) throws Exception {
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
    }

    @Test
    void readsRuleFilesInSubdirectoriesSortedByPathAndSkipsEverythingElse() throws Exception {
        write("b.drl", "rule b");
        write("team/a.drl", "rule a");
        write("routing.drl.xlsx", "x");
        write("routing.drl.csv", "x");
        write("old.drl.xls", "x");
        write("routing.xlsx", "not a decision table name");
        write("notes.txt", "x");
        write(".b.drl.swp", "editor swap file");
        write("..2025_01_01/c.drl", "a Kubernetes ConfigMap's hidden copy");
        write("b.drl~", "editor backup");

        RulesDirectory.Snapshot snapshot = new RulesDirectory(dir).read();

        assertThat(snapshot.sources()).extracting(RuleSource::path)
                .containsExactly("b.drl", "old.drl.xls", "routing.drl.csv", "routing.drl.xlsx", "team/a.drl");
        assertThat(snapshot.sources()).extracting(RuleSource::kind).containsExactly(RuleSource.Kind.DRL,
                RuleSource.Kind.SPREADSHEET, RuleSource.Kind.CSV, RuleSource.Kind.SPREADSHEET, RuleSource.Kind.DRL);
        assertThat(new String(snapshot.sources().get(0).content(), StandardCharsets.UTF_8)).isEqualTo("rule b");
    }

    @Test
    void followsSymbolicLinksAsAMountedConfigMapNeeds() throws Exception {
        write("..data/deploy.drl", "rule d");
        Files.createSymbolicLink(dir.resolve("deploy.drl"), dir.resolve("..data/deploy.drl"));

        assertThat(new RulesDirectory(dir).read().sources()).extracting(RuleSource::path).containsExactly("deploy.drl");
    }

    @Test
    void theFingerprintChangesWithContentAndNamesButNotWithOtherFiles() throws Exception {
        RulesDirectory rules = new RulesDirectory(dir);
        write("a.drl", "one");
        String first = rules.fingerprint();

        write("notes.txt", "ignored");
        assertThat(rules.fingerprint()).isEqualTo(first);

        write("a.drl", "two");
        String second = rules.fingerprint();
        assertThat(second).isNotEqualTo(first);

        Files.move(dir.resolve("a.drl"), dir.resolve("b.drl"));
        assertThat(rules.fingerprint()).isNotEqualTo(second);
    }

    @Test
    void aMissingDirectoryIsAnErrorNamingIt() {
        RulesDirectory rules = new RulesDirectory(dir.resolve("missing"));

        assertThatThrownBy(rules::read).isInstanceOf(RulesInvalidException.class).hasMessageContaining("missing");
        assertThat(rules.fingerprint()).startsWith("unreadable");
    }

    @Test
    void onlyRuleFileNamesMakeRuleSources() {
        assertThat(RuleSource.kindOf("Routing.DRL.XLSX")).isEqualTo(RuleSource.Kind.SPREADSHEET);
        assertThat(RuleSource.kindOf("routing.xlsx")).isNull();
        assertThatThrownBy(() -> new RuleSource("notes.txt", new byte[0])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void anErrorReadsFileLineColumnMessage() {
        assertThat(new RuleError("a.drl", 7, 1, "mismatched input").toString()).isEqualTo("a.drl:7:1: mismatched input");
        assertThat(new RuleError("t.drl.csv", 0, 0, "bad").toString()).isEqualTo("t.drl.csv: bad");
        assertThat(new RulesInvalidException(java.util.List.of(new RuleError("a.drl", 2, 0, "x"),
                new RuleError("b.drl", 3, 0, "y"))).getMessage()).isEqualTo("a.drl:2: x (and 1 more error)");
    }
}
