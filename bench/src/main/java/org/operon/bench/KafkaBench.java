package org.operon.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import kafka.testkit.KafkaClusterTestKit;
import kafka.testkit.TestKitNodes;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Workload 4, Kafka end to end: one combined KRaft node in this JVM ({@code KafkaClusterTestKit}, the
 * broker settings of KafkaSourceIT), one one-partition topic per record size, and the assembled app started
 * in process once, consuming all of them ({@code operon.kafka.*}), as a deployment runs for days. Each
 * phase produces its events while the app's Kafka source is stopped ({@link org.operon.app.OperonApp#runKafkaSource}),
 * then starts it and times from that start (the consumer joins its group again) until the group's committed
 * offset is past the phase's last record and the engine has processed every event with no backlog: decided
 * and committed events/s. For each record size ({@code --kafka-batches=1,100}) a warm-up phase of
 * {@code --kafka-warmup} events (default as many as the timed phase), not counted, comes first, as the
 * pack in process is measured after its warm-up round and the http loads after theirs.
 */
final class KafkaBench {
    private final int subjects;
    private final int events;
    private final int warmup;
    /** operon.kafka.max-poll-records of the app, when --kafka-max-poll is given (else the app's default). */
    private final String maxPoll;
    private final List<Integer> batches = new ArrayList<>();
    private final String group = "operon-bench";

    KafkaBench(Map<String, String> options, int subjects) {
        this.subjects = subjects;
        String v = options.get("kafka-events");
        this.events = v == null ? 500_000 : Integer.parseInt(v.replace("_", ""));
        String w = options.get("kafka-warmup");
        this.maxPoll = options.get("kafka-max-poll");
        this.warmup = w == null ? events : Integer.parseInt(w.replace("_", ""));
        for (String s : options.getOrDefault("kafka-batches", "1,100").split(",")) {
            batches.add(Integer.parseInt(s.trim()));
        }
    }

    record Run(int perRecord, long events, long records, double seconds, double rate, double produceRate, double cpuMicros) {
    }

    ObjectNode run(double packRate) throws Exception {
        TestKitNodes nodes = new TestKitNodes.Builder().setCombined(true).setNumBrokerNodes(1)
                .setNumControllerNodes(1).build();
        List<Run> runs = new ArrayList<>();
        try (KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                .setConfigProp("offsets.topic.replication.factor", "1")
                .setConfigProp("transaction.state.log.replication.factor", "1")
                .setConfigProp("transaction.state.log.min.isr", "1")
                .setConfigProp("group.initial.rebalance.delay.ms", "0")
                .build()) {
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            String bootstrap = cluster.bootstrapServers();
            List<String> topics = new ArrayList<>();
            for (int perRecord : batches) {
                topics.add("bench-events-" + perRecord);
            }
            try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
                 KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                         ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                         ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                         ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 4 * 1024 * 1024),
                         new StringSerializer(), new StringSerializer())) {
                List<NewTopic> created = new ArrayList<>();
                for (String t : topics) {
                    created.add(new NewTopic(t, 1, (short) 1));
                }
                admin.createTopics(created).all().get();
                Map<String, String> settings = new java.util.HashMap<>(Map.of(
                        "operon.kafka.bootstrap-servers", bootstrap,
                        "operon.kafka.topics", String.join(",", topics),
                        "operon.kafka.group-id", group));
                if (maxPoll != null) {
                    settings.put("operon.kafka.max-poll-records", maxPoll);
                }
                try (EndToEnd.Running operon = EndToEnd.start("kafka", settings)) {
                    operon.app().runKafkaSource(false);
                    Phases phases = new Phases(admin, producer, operon);
                    for (int perRecord : batches) {
                        String topic = "bench-events-" + perRecord;
                        if (warmup > 0) {
                            System.out.printf(Locale.ROOT, "    warm-up (not timed): %,d events, %d per record%n", warmup,
                                    perRecord);
                            phases.consume(topic, "warm-up", warmup, perRecord);
                        }
                        runs.add(phases.consume(topic, "timed", events, perRecord));
                    }
                }
            }
        }
        return entry(runs, packRate);
    }

    /** The phases of one run against one app: the events the engine has processed so far, in all phases. */
    private final class Phases {
        private final Admin admin;
        private final KafkaProducer<String, String> producer;
        private final EndToEnd.Running operon;
        private long expected;
        private int phase;

        Phases(Admin admin, KafkaProducer<String, String> producer, EndToEnd.Running operon) throws Exception {
            this.admin = admin;
            this.producer = producer;
            this.operon = operon;
            this.expected = operon.processed();
        }

        /** Produces {@code n} events with the source stopped, starts it, and times their consumption from the start. */
        Run consume(String topic, String label, int n, int perRecord) throws Exception {
            phase++;
            long records = 0;
            long produceStart = System.nanoTime();
            Random random = new Random(4_000L + perRecord + 100L * phase);
            java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata> last = null;
            for (int at = 0; at < n; at += perRecord) {
                int size = Math.min(perRecord, n - at);
                StringBuilder value = new StringBuilder();
                if (perRecord > 1) {
                    value.append('[');
                }
                for (int i = 0; i < size; i++) {
                    if (i > 0) {
                        value.append(',');
                    }
                    value.append(EndToEnd.event(topic + "-" + phase + "-" + (at + i), random, subjects));
                }
                if (perRecord > 1) {
                    value.append(']');
                }
                last = producer.send(new ProducerRecord<>(topic, value.toString()));
                records++;
            }
            producer.flush();
            long lastOffset = last.get().offset();
            double produceRate = n / ((System.nanoTime() - produceStart) / 1e9);
            System.out.printf(Locale.ROOT, "    produced %,d events in %,d records (%d per record) at %,.0f events/s with the "
                    + "source stopped; its last record at offset %,d%n", n, records, perRecord, produceRate, lastOffset);

            expected += n;
            TopicPartition partition = new TopicPartition(topic, 0);
            Map<Long, Long> cpuBefore = threadCpu();
            long processCpuBefore = processCpu();
            long start = System.nanoTime();
            operon.app().runKafkaSource(true);
            long deadline = start + Duration.ofMinutes(5).toNanos();
            long committed = -1;
            while (System.nanoTime() < deadline) {
                OffsetAndMetadata o = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .get(partition);
                committed = o == null ? -1 : o.offset();
                if (committed > lastOffset) {
                    break;
                }
                Thread.sleep(10);
            }
            boolean drained = operon.awaitProcessed(expected, Duration.ofMinutes(2));
            double seconds = (System.nanoTime() - start) / 1e9;
            long processed = operon.processed();
            double processCpuUs = (processCpu() - processCpuBefore) / 1e3 / n;
            System.out.printf(Locale.ROOT, "    CPU per event: %.1f µs in the whole JVM (broker and bench included); by thread: %s%n",
                    processCpuUs, cpuByThread(cpuBefore, n));
            Run r = new Run(perRecord, n, records, seconds, n / seconds, produceRate, processCpuUs);
            System.out.printf(Locale.ROOT, "    %3d per record, %s: committed up to %,d of %,d, engine processed %,d in all%s; "
                            + "%.2f s from the source's start: %,.0f events/s; load %.1f%n",
                    perRecord, label, committed, lastOffset + 1, processed, drained ? "" : " (NOT drained)", seconds,
                    r.rate, EndToEnd.loadAverage());
            if (committed <= lastOffset || !drained) {
                throw new IllegalStateException("Operon did not consume the topic " + topic + " within the time limit");
            }
            operon.app().runKafkaSource(false);
            return r;
        }
    }

    /** CPU time (ns) of every live thread by id. */
    private static Map<Long, Long> threadCpu() {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<Long, Long> cpu = new java.util.HashMap<>();
        for (long id : mx.getAllThreadIds()) {
            long t = mx.getThreadCpuTime(id);
            if (t >= 0) {
                cpu.put(id, t);
            }
        }
        return cpu;
    }

    private static long processCpu() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** µs of CPU per event spent since {@code before} by the threads alive now, grouped by name (digits dropped), largest first. */
    private static String cpuByThread(Map<Long, Long> before, long events) {
        java.lang.management.ThreadMXBean mx = java.lang.management.ManagementFactory.getThreadMXBean();
        Map<String, Long> byName = new java.util.HashMap<>();
        for (java.lang.management.ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            long t = mx.getThreadCpuTime(info.getThreadId());
            if (t < 0) {
                continue;
            }
            String name = info.getThreadName();
            name = name.contains("KafkaConsumer[") ? "kafka-consumer"
                    : name.startsWith("data-plane-kafka") || name.startsWith("kafka-") || name.startsWith("quorum-")
                    || name.startsWith("broker-") || name.startsWith("controller-") ? "broker"
                    : name.replaceAll("[0-9]+", "N");
            byName.merge(name, t - before.getOrDefault(info.getThreadId(), 0L), Long::sum);
        }
        StringBuilder s = new StringBuilder();
        byName.entrySet().stream().filter(e -> e.getValue() / 1e3 / events >= 0.1)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> s.append(String.format(Locale.ROOT, "%s %.1f, ", e.getKey(), e.getValue() / 1e3 / events)));
        return s.length() == 0 ? "-" : s.substring(0, s.length() - 2);
    }

    private ObjectNode entry(List<Run> runs, double packRate) {
        ObjectNode n = EndToEnd.JSON.createObjectNode();
        n.put("description", events + " CloudEvents produced to a 1-partition topic of an in-JVM KRaft broker while the "
                + "app's Kafka source is stopped, after a warm-up phase of " + warmup + " not counted; the assembled app in "
                + "process (started once) then consumes them: decided (engine processed, no backlog) and committed (group "
                + "offset past the last record) events/s, from the source's start; vs the pack in process");
        ObjectNode figures = n.putObject("figures");
        for (Run r : runs) {
            figures.putObject(r.perRecord + "PerRecord").put("eventsPerSecond", Math.round(r.rate))
                    .put("events", r.events).put("records", r.records).put("seconds", Math.round(r.seconds * 10) / 10.0)
                    .put("produceEventsPerSecond", Math.round(r.produceRate))
                    .put("jvmCpuMicrosPerEvent", Math.round(r.cpuMicros * 10) / 10.0);
        }
        figures.put("inProcessPackEventsPerSecond", Math.round(packRate)).put("loadAverage", EndToEnd.loadAverage());
        // The headline ratio is the first record size's (1 per record by default); every size has its own, and
        // the workload passes only when each does.
        double ratio = runs.get(0).rate / packRate;
        n.put("ratio", Math.round(ratio * 100) / 100.0);
        n.put("ratioMeaning", "decided and committed events/s at " + runs.get(0).perRecord + " event(s) per record / the pack in process");
        n.put("targetRatio", 0.5);
        ObjectNode ratios = n.putObject("ratioPerRecordSize");
        StringBuilder s = new StringBuilder();
        StringBuilder rs = new StringBuilder();
        boolean pass = true;
        for (Run r : runs) {
            double rr = r.rate / packRate;
            ratios.put(r.perRecord + "PerRecord", Math.round(rr * 100) / 100.0);
            pass &= rr >= 0.5;
            s.append(String.format(Locale.ROOT, "%d/record %,.0f/s, ", r.perRecord, r.rate));
            rs.append(String.format(Locale.ROOT, "%s%.2fx at %d/record", rs.length() == 0 ? "" : ", ", rr, r.perRecord));
        }
        n.put("pass", pass);
        n.put("summary", s + String.format(Locale.ROOT, "pack %,.0f/s", packRate));
        n.put("ratioSummary", rs + " (target >= 0.5x each)");
        return n;
    }
}
