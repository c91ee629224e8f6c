package org.operon.app.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.operon.model.reference.Service;
import org.operon.model.reference.Team;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferenceDataTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void readsServicesAndTeamsFromYaml() throws IOException {
        write("services.yaml", """
                services:
                  - {name: checkout, team: payments, tier: tier-1, depends_on: [db, auth]}
                  - name: db
                    team: platform
                  - name: auth
                """);
        write("teams.yml", """
                teams:
                  - {name: payments, on_call: [alice@example.com, bob@example.com]}
                  - {name: platform}
                """);

        assertThat(ReferenceData.load(dir)).containsExactly(
                new Service("checkout", "payments", "tier-1", List.of("db", "auth")),
                new Service("db", "platform", null, List.of()),
                new Service("auth", null, null, List.of()),
                new Team("payments", List.of("alice@example.com", "bob@example.com")),
                new Team("platform", List.of()));
    }

    @Test
    void readsServicesAndTeamsFromCsv() throws IOException {
        write("services.csv", """
                name,team,tier,depends_on
                checkout,payments,tier-1,db;auth
                # a comment
                "db",platform,,
                auth,,,
                web , payments , tier-2 , checkout  auth
                """);
        write("teams.csv", """
                on_call,name
                alice@example.com; bob@example.com,payments
                ,platform
                """);

        assertThat(ReferenceData.load(dir)).containsExactly(
                new Service("checkout", "payments", "tier-1", List.of("db", "auth")),
                new Service("db", "platform", null, List.of()),
                new Service("auth", null, null, List.of()),
                new Service("web", "payments", "tier-2", List.of("checkout", "auth")),
                new Team("payments", List.of("alice@example.com", "bob@example.com")),
                new Team("platform", List.of()));
    }

    @Test
    void missingFilesAndEmptyFilesAreNoData() throws IOException {
        assertThat(ReferenceData.load(dir)).isEmpty();
        write("services.yaml", "");
        write("teams.csv", "name,on_call\n");
        assertThat(ReferenceData.load(dir)).isEmpty();
    }

    @Test
    void dependencyCyclesBetweenServicesAreAllowed() throws IOException {
        write("services.yaml", "services:\n  - {name: a, depends_on: [b]}\n  - {name: b, depends_on: [a]}\n");
        assertThat(ReferenceData.load(dir)).hasSize(2);
    }

    private void refused(String problemPrefix, String... parts) {
        var thrown = assertThatThrownBy(() -> ReferenceData.load(dir)).isInstanceOf(ConfigFileException.class)
                .hasMessageStartingWith(problemPrefix);
        if (parts.length > 0) {
            thrown.hasMessageContainingAll(parts);
        }
    }

    @Test
    void refusesBadYamlNamingTheFileTheEntryAndTheProblem() throws IOException {
        Path f = write("services.yaml", "services:\n  - {name: a}\n  - {team: x}\n");
        refused(f + ": entry 2: \"name\" is missing");
        write("services.yaml", "services:\n  - {name: a, owner: x}\n");
        refused(f + ": entry 1: unknown key \"owner\"", "expected name, team, tier, depends_on");
        write("services.yaml", "services:\n  - {name: a}\n  - {name: a}\n");
        refused(f + ": entry 2: the service 'a' is already defined at entry 1");
        write("services.yaml", "services:\n  - {name: a, depends_on: [ledger]}\n");
        refused(f + ": entry 1: service 'a' depends on 'ledger', which is not in the service catalogue");
        write("services.yaml", "services:\n  - {name: a, depends_on: [a]}\n");
        refused(f + ": entry 1: service a depends on itself");
        write("services.yaml", "services:\n  - {name: a, depends_on: b}\n");
        refused(f + ": entry 1: \"depends_on\" must be a list");
        write("services.yaml", "service:\n  - {name: a}\n");
        refused(f + ": unknown top-level key \"service\"");
        write("services.yaml", "services: [\n");
        refused(f.toString(), "not valid YAML");
    }

    @Test
    void refusesBadCsvNamingTheFileTheLineAndTheProblem() throws IOException {
        Path f = write("services.csv", "name,team,owner\n");
        refused(f + ":1: unknown column \"owner\"", "expected name,team,tier,depends_on");
        write("services.csv", "team,tier\npayments,tier-1\n");
        refused(f + ":1: the header row has no column \"name\"");
        write("services.csv", "name,team,name\n");
        refused(f + ":1: the column \"name\" appears twice");
        write("services.csv", "name,team\na,x\n\nb,y,z\n");
        refused(f + ":4: has 3 values but the header names 2 columns");
        write("services.csv", "name,team\na,x\n,y\n");
        refused(f + ":3: the name is missing");
        write("services.csv", "name,depends_on\na,\nb,a\na,\n");
        refused(f + ":4: the service 'a' is already defined at line 2");
        write("services.csv", "name,depends_on\na,\nb,a ledger\n");
        refused(f + ":3: service 'b' depends on 'ledger'");
        write("services.csv", "name,team\na,\"unclosed\n");
        refused(f.toString(), "not valid CSV");
    }

    @Test
    void refusesTwoFilesOfOneKindAndTeamsTheTeamsFileLacks() throws IOException {
        write("services.yaml", "services: []\n");
        write("services.csv", "name\n");
        refused(dir + ": holds both services.yaml and services.csv", "keep one file of services");
        Files.delete(dir.resolve("services.csv"));
        write("teams.yaml", "teams: []\n");
        write("teams.yml", "teams: []\n");
        refused(dir + ": holds both teams.yaml and teams.yml");
        Files.delete(dir.resolve("teams.yml"));
        Path services = write("services.yaml", "services:\n  - {name: a, team: ghosts}\n");
        refused(services + ": entry 1: service 'a' belongs to team 'ghosts', which is not in teams.yaml");
        Path teams = write("teams.yaml", "teams:\n  - {name: ghosts}\n  - {name: ghosts}\n");
        refused(teams + ": entry 2: the team 'ghosts' is already defined at entry 1");
        Path nope = dir.resolve("nope");
        assertThatThrownBy(() -> ReferenceData.load(nope)).isInstanceOf(ConfigFileException.class)
                .hasMessage(nope + ": is not a directory");
    }

    @Test
    void theFingerprintChangesWhenAFileIsAddedChangedOrRemoved() throws IOException {
        String empty = ReferenceData.fingerprint(dir);
        assertThat(empty).isNotEmpty().isEqualTo(ReferenceData.fingerprint(dir));
        Path f = write("services.yaml", "services: []\n");
        String added = ReferenceData.fingerprint(dir);
        assertThat(added).isNotEqualTo(empty);
        Files.writeString(f, "services: [{name: a}]\n");
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        String changed = ReferenceData.fingerprint(dir);
        assertThat(changed).isNotEqualTo(added);
        Files.setLastModifiedTime(f, FileTime.from(Instant.parse("2026-01-01T00:00:01Z")));
        assertThat(ReferenceData.fingerprint(dir)).as("same size, new time").isNotEqualTo(changed);
        String before = ReferenceData.fingerprint(dir);
        write("unrelated.txt", "x");
        assertThat(ReferenceData.fingerprint(dir)).as("other files do not count").isEqualTo(before);
        Files.delete(f);
        assertThat(ReferenceData.fingerprint(dir)).isEqualTo(empty);
    }

    @Test
    void theConfigurationChecksTheDirectoryAtLoad() throws IOException {
        write("services.yaml", "services:\n  - {name: a, depends_on: [b]}\n");
        assertThatThrownBy(() -> OperonConfig.load(Map.of("OPERON_REFERENCE_DIR", dir.toString()), new Properties()))
                .isInstanceOf(ConfigException.class)
                .hasMessageContainingAll("operon.reference.dir", "services.yaml: entry 1", "depends on 'b'",
                        "docs/reference-data.md");
        write("services.yaml", "services:\n  - {name: a}\n");
        assertThat(OperonConfig.load(Map.of("OPERON_REFERENCE_DIR", dir.toString()), new Properties())
                .get(OperonConfig.REFERENCE_DIR)).isEqualTo(dir);
    }
}
