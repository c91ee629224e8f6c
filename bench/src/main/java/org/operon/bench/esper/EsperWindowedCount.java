package org.operon.bench.esper;

import com.espertech.esper.common.client.EPCompiled;
import com.espertech.esper.common.client.configuration.Configuration;
import com.espertech.esper.compiler.client.CompilerArguments;
import com.espertech.esper.compiler.client.EPCompilerProvider;
import com.espertech.esper.runtime.client.EPDeployment;
import com.espertech.esper.runtime.client.EPEventService;
import com.espertech.esper.runtime.client.EPRuntime;
import com.espertech.esper.runtime.client.EPRuntimeProvider;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import java.io.File;
import java.time.Instant;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * The peer of the {@code peer-esper} workload: Esper 9 running the windowed count over a file of
 * CloudEvents JSON lines, in event time (the runtime's clock is external and follows each event's
 * {@code time}), JSON parsing included. Runs in a JVM of its own, launched by the bench with the
 * classpath {@code bench/target/lib-esper/*} (Esper, its ANTLR and Janino, Jackson core): Esper's
 * compiler needs other versions of ANTLR and Janino than Drools, so the two never share a classpath.
 *
 * <pre>  java -cp 'bench/target/lib-esper/*' org.operon.bench.esper.EsperWindowedCount events.jsonl</pre>
 *
 * Prints one line: {@code esper: events=N critical=N rows=N subjects=N seconds=S}.
 */
public final class EsperWindowedCount {

    /** 3 or more critical events of a subject within 1 minute (a row per critical event that makes the count reach >= 3). */
    public static final String EPL = "@name('burst') select subject, count(*) as cnt from Event(severity='critical')#time(1 min) "
            + "group by subject having count(*) >= 3";

    /** The event: the CloudEvent attributes the query uses. */
    public static final class Event {
        private final String subject;
        private final String severity;
        private final long time;

        public Event(String subject, String severity, long time) {
            this.subject = subject;
            this.severity = severity;
            this.time = time;
        }

        public String getSubject() {
            return subject;
        }

        public String getSeverity() {
            return severity;
        }

        public long getTime() {
            return time;
        }
    }

    private EsperWindowedCount() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: EsperWindowedCount EVENTS.jsonl");
            System.exit(2);
        }
        long start = System.nanoTime();
        Configuration config = new Configuration();
        config.getCommon().addEventType("Event", Event.class);
        config.getRuntime().getThreading().setInternalTimerEnabled(false);
        EPCompiled compiled = EPCompilerProvider.getCompiler().compile(EPL, new CompilerArguments(config));
        EPRuntime runtime = EPRuntimeProvider.getDefaultRuntime(config);
        EPEventService events = runtime.getEventService();
        events.clockExternal();
        long[] rows = {0};
        Set<String> fired = new HashSet<>();
        long count = 0;
        long critical = 0;
        long clock = Long.MIN_VALUE;
        EPDeployment deployment = null;
        JsonFactory json = new JsonFactory();
        try (JsonParser p = json.createParser(new File(args[0]))) {
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                if (token != JsonToken.START_OBJECT) {
                    throw new IllegalStateException("line " + p.currentLocation().getLineNr() + ": not a JSON object");
                }
                String subject = null;
                String severity = null;
                String time = null;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    JsonToken value = p.nextToken();
                    switch (name) {
                        case "subject" -> subject = p.getText();
                        case "severity" -> severity = p.getText();
                        case "time" -> time = p.getText();
                        default -> {
                            if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                                p.skipChildren();
                            }
                        }
                    }
                }
                if (time == null) {
                    throw new IllegalStateException("line " + p.currentLocation().getLineNr() + ": no 'time'");
                }
                long t = Instant.parse(time).toEpochMilli();
                if (deployment == null) {
                    // The clock starts at the first event's time, then the statement is deployed.
                    events.advanceTime(t);
                    clock = t;
                    deployment = runtime.getDeploymentService().deploy(compiled);
                    deployment.getStatements()[0].addListener((newData, oldData, statement, rt) -> {
                        if (newData != null) {
                            rows[0] += newData.length;
                            for (var row : newData) {
                                fired.add((String) row.get("subject"));
                            }
                        }
                    });
                }
                if (t > clock) {
                    events.advanceTime(t);
                    clock = t;
                }
                events.sendEventBean(new Event(subject, severity, t), "Event");
                count++;
                if ("critical".equals(severity)) {
                    critical++;
                }
            }
        }
        runtime.destroy();
        System.out.printf(Locale.ROOT, "esper: events=%d critical=%d rows=%d subjects=%d seconds=%.2f%n", count, critical,
                rows[0], fired.size(), (System.nanoTime() - start) / 1e9);
    }
}
