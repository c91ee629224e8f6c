package org.operon.app.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import org.operon.model.reference.Service;
import org.operon.model.reference.Team;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the reference data of {@code operon.reference.dir}: the service catalogue ({@code services.yaml},
 * {@code services.yml} or {@code services.csv}) and the teams ({@code teams.yaml}, {@code teams.yml} or
 * {@code teams.csv}). Either file may be missing; two files of one kind are refused.
 *
 * <pre>{@code
 * services:                                  # services.csv: name,team,tier,depends_on
 *   - {name: checkout, team: payments, tier: tier-1, depends_on: [db, auth]}
 * teams:                                     # teams.csv: name,on_call
 *   - {name: payments, on_call: [alice@example.com, bob@example.com]}
 * }</pre>
 *
 * CSV files start with a header row naming their columns (any order, {@code name} required);
 * {@code depends_on} lists are separated by {@code ;} or spaces, {@code on_call} lists by {@code ;}.
 * Refused: unknown keys or columns, a missing name, two entries of one name, a dependency on a service
 * the catalogue lacks or on the service itself, and, when there is a teams file, a service's team that
 * it lacks. Dependency cycles between different services are allowed.
 */
public final class ReferenceData {
    private static final List<String> SERVICE_FIELDS = List.of("name", "team", "tier", "depends_on");
    private static final List<String> TEAM_FIELDS = List.of("name", "on_call");
    private static final List<String> EXTENSIONS = List.of("yaml", "yml", "csv");
    private static final Pattern DEPENDS_ON_SEPARATOR = Pattern.compile("[;\\s]+");
    private static final Pattern ON_CALL_SEPARATOR = Pattern.compile("\\s*;\\s*");

    private ReferenceData() {
    }

    /** Where an entry is: a CSV line, or a YAML entry's 1-based position. */
    private record Where(Path file, int line, int index) {
        ConfigFileException fail(String problem) {
            return new ConfigFileException(file, line, line > 0 ? problem : "entry " + index + ": " + problem);
        }
    }

    private record Entry<T>(T value, String name, Where where) {
    }

    /**
     * The services, then the teams, each in file order: {@link Service} and {@link Team} facts.
     *
     * @throws ConfigFileException naming the file, the line (CSV) or entry position (YAML) and the problem
     */
    public static List<Object> load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ConfigFileException(dir, 0, "is not a directory");
        }
        Path teamsFile = fileOf(dir, "teams");
        Path servicesFile = fileOf(dir, "services");
        List<Entry<Team>> teams = teamsFile == null ? List.of()
                : read(teamsFile, "teams", TEAM_FIELDS, ReferenceData::team);
        List<Entry<Service>> services = servicesFile == null ? List.of()
                : read(servicesFile, "services", SERVICE_FIELDS, ReferenceData::service);
        Map<String, Entry<Team>> teamsByName = unique(teams, "team");
        Map<String, Entry<Service>> servicesByName = unique(services, "service");
        for (Entry<Service> s : services) {
            for (String dependency : s.value().getDependsOn()) {
                if (!servicesByName.containsKey(dependency)) {
                    throw s.where().fail("service '" + s.name() + "' depends on '" + dependency
                            + "', which is not in the service catalogue");
                }
            }
            String team = s.value().getTeam();
            if (teamsFile != null && team != null && !teamsByName.containsKey(team)) {
                throw s.where().fail("service '" + s.name() + "' belongs to team '" + team + "', which is not in "
                        + teamsFile.getFileName());
            }
        }
        List<Object> facts = new ArrayList<>();
        services.forEach(s -> facts.add(s.value()));
        teams.forEach(t -> facts.add(t.value()));
        return List.copyOf(facts);
    }

    /**
     * A digest of the reference files as they are now: for each possible file name, its size and
     * modification time or its absence. Reads no content; never throws.
     */
    public static String fingerprint(Path dir) {
        StringBuilder s = new StringBuilder(dir.toString()).append('\n');
        for (String kind : List.of("services", "teams")) {
            for (String ext : EXTENSIONS) {
                Path f = dir.resolve(kind + "." + ext);
                s.append(f.getFileName()).append(' ');
                try {
                    s.append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis());
                } catch (IOException e) {
                    s.append(Files.exists(f) ? "unreadable" : "-");
                }
                s.append('\n');
            }
        }
        return s.toString();
    }

    /** The one file of {@code kind}, null when there is none. */
    private static Path fileOf(Path dir, String kind) {
        List<Path> present = EXTENSIONS.stream().map(ext -> dir.resolve(kind + "." + ext))
                .filter(Files::exists).toList();
        if (present.size() > 1) {
            throw new ConfigFileException(dir, 0, "holds both " + present.get(0).getFileName() + " and "
                    + present.get(1).getFileName() + ": keep one file of " + kind);
        }
        return present.isEmpty() ? null : present.get(0);
    }

    private static <T> Map<String, Entry<T>> unique(List<Entry<T>> entries, String kind) {
        Map<String, Entry<T>> byName = new HashMap<>();
        for (Entry<T> e : entries) {
            Entry<T> earlier = byName.putIfAbsent(e.name(), e);
            if (earlier != null) {
                Where w = earlier.where();
                throw e.where().fail("the " + kind + " '" + e.name() + "' is already defined at "
                        + (w.line() > 0 ? "line " + w.line() : "entry " + w.index()));
            }
        }
        return byName;
    }

    /** Reads one file as YAML or CSV into fields by name (lists as lists), then builds each entry. */
    private static <T> List<Entry<T>> read(Path file, String kind, List<String> fields,
                                           Function<Map<String, Object>, T> build) {
        boolean csv = file.getFileName().toString().endsWith(".csv");
        List<Entry<T>> out = new ArrayList<>();
        if (csv) {
            for (CsvRow row : csvRows(file, fields)) {
                Where where = new Where(file, row.line(), 0);
                try {
                    T value = build.apply(row.values());
                    out.add(new Entry<>(value, (String) row.values().get("name"), where));
                } catch (IllegalArgumentException e) {
                    throw where.fail(e.getMessage());
                }
            }
            return out;
        }
        List<JsonNode> entries = YamlFile.topLevelList(file, YamlFile.read(file), kind, Set.of());
        for (int i = 0; i < entries.size(); i++) {
            Where where = new Where(file, 0, i + 1);
            JsonNode node = entries.get(i);
            try {
                YamlFile.checkFields(node, fields);
                Map<String, Object> values = new LinkedHashMap<>();
                values.put("name", YamlFile.text(node, "name", true));
                for (String field : fields.subList(1, fields.size())) {
                    values.put(field, isList(field) ? YamlFile.texts(node, field) : YamlFile.text(node, field, false));
                }
                T value = build.apply(values);
                out.add(new Entry<>(value, (String) values.get("name"), where));
            } catch (IllegalArgumentException e) {
                throw where.fail(e.getMessage());
            }
        }
        return out;
    }

    private static boolean isList(String field) {
        return field.equals("depends_on") || field.equals("on_call");
    }

    private static Service service(Map<String, Object> values) {
        String name = (String) values.get("name");
        return new Service(name, (String) values.get("team"), (String) values.get("tier"),
                list(values.get("depends_on"), DEPENDS_ON_SEPARATOR));
    }

    private static Team team(Map<String, Object> values) {
        return new Team((String) values.get("name"), list(values.get("on_call"), ON_CALL_SEPARATOR));
    }

    /** A YAML list as is, or a CSV cell split at {@code separator}. */
    @SuppressWarnings("unchecked")
    private static List<String> list(Object value, Pattern separator) {
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> l) {
            return (List<String>) l;
        }
        return Arrays.stream(separator.split(value.toString().strip())).filter(s -> !s.isBlank()).toList();
    }

    private record CsvRow(int line, Map<String, Object> values) {
    }

    /**
     * The data rows of a CSV file with a header row, each cell stripped, empty cells left out; blank
     * lines and lines starting with {@code #} are skipped.
     */
    private static List<CsvRow> csvRows(Path file, List<String> fields) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new ConfigFileException(file, 0, "cannot be read: " + e);
        }
        List<CsvRow> rows = new ArrayList<>();
        List<String> header = null;
        try (JsonParser p = new CsvMapper().reader().with(CsvParser.Feature.WRAP_AS_ARRAY)
                .with(CsvParser.Feature.SKIP_EMPTY_LINES).with(CsvParser.Feature.TRIM_SPACES)
                .with(CsvParser.Feature.ALLOW_COMMENTS).createParser(text)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                return List.of();
            }
            while (p.nextToken() == JsonToken.START_ARRAY) {
                int line = 0;
                List<String> cells = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    if (cells.isEmpty()) {
                        // The first cell's location: the row's own start token reports the previous row's end.
                        line = p.currentTokenLocation().getLineNr();
                    }
                    cells.add(p.getText().strip());
                }
                if (header == null) {
                    header = header(file, line, cells, fields);
                    continue;
                }
                if (cells.size() > header.size()) {
                    throw new ConfigFileException(file, line, "has " + cells.size() + " values but the header names "
                            + header.size() + " columns (" + String.join(",", header) + "); quote values that "
                            + "contain a comma");
                }
                Map<String, Object> values = new LinkedHashMap<>();
                for (int i = 0; i < cells.size(); i++) {
                    if (!cells.get(i).isEmpty()) {
                        values.put(header.get(i), cells.get(i));
                    }
                }
                if (values.get("name") == null) {
                    throw new ConfigFileException(file, line, "the name is missing");
                }
                rows.add(new CsvRow(line, values));
            }
        } catch (JsonProcessingException e) {
            throw new ConfigFileException(file, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid CSV: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ConfigFileException(file, 0, "cannot be read: " + e);
        }
        return rows;
    }

    private static List<String> header(Path file, int line, List<String> cells, List<String> fields) {
        for (int i = 0; i < cells.size(); i++) {
            String column = cells.get(i);
            if (!fields.contains(column)) {
                throw new ConfigFileException(file, line, "unknown column \"" + column + "\" in the header row "
                        + "(expected " + String.join(",", fields) + ")");
            }
            if (cells.subList(0, i).contains(column)) {
                throw new ConfigFileException(file, line, "the column \"" + column + "\" appears twice in the "
                        + "header row");
            }
        }
        if (!cells.contains("name")) {
            throw new ConfigFileException(file, line, "the header row has no column \"name\" (expected "
                    + String.join(",", fields) + ")");
        }
        return cells;
    }
}
