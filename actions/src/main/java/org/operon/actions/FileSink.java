package org.operon.actions;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import org.apache.camel.Exchange;
import org.apache.camel.model.RouteDefinition;

/**
 * Target {@code file}: appends the action JSON as one line to {@code <dir>/actions-YYYY-MM-DD.jsonl},
 * dated by the decision's time in UTC (so a replay writes to the same file as the original run). Each
 * append is forced to disk before the route completes. The directory is created when missing.
 */
public final class FileSink implements ActionSink {
    public static final String NAME = "file";

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneOffset.UTC);

    private final String endpoint;

    public FileSink(ActionOptions options) {
        this.endpoint = "file:" + options.fileDirectory().toAbsolutePath()
                + "?fileExist=Append&appendChars=\\n&charset=UTF-8";
    }

    /** The name of the file that holds the actions of decisions made at {@code decisionTime}. */
    public static String fileNameFor(long decisionTime) {
        return "actions-" + DAY.format(Instant.ofEpochMilli(decisionTime)) + ".jsonl";
    }

    /** True: every line carries the action id: a reader drops a repeated line by it. */
    @Override
    public boolean deduplicatesByKey() {
        return true;
    }

    @Override
    public void perform(RouteDefinition route) {
        route.process(exchange -> {
            Action action = exchange.getIn().getBody(Action.class);
            exchange.getIn().setHeader(Exchange.FILE_NAME, fileNameFor(action.decision().getTime()));
            exchange.getIn().setBody(ActionJson.action(action));
        }).to(endpoint);
    }
}
