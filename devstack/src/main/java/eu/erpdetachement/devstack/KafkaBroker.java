package eu.erpdetachement.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.Uuid;

/** A real Kafka 4 broker (KRaft, one node) in its own JVM, from the kafka_2.13 jar on our classpath. */
final class KafkaBroker {

    /**
     * The heap and collector Kafka's own start scripts give a broker (KAFKA_HEAP_OPTS,
     * KAFKA_JVM_PERFORMANCE_OPTS). With 512 MiB and G1's defaults the broker held ~190 MiB after each young
     * collection and ran a concurrent cycle every few seconds at 2,000 events/s; with these, Kafka's own
     * producer benchmark sent 81,500 records/s where it had sent 47,000-57,000 (decision 0041).
     */
    private static final List<String> BROKER_JVM = List.of("-Xms1g", "-Xmx1g", "-XX:+UseG1GC", "-XX:MaxGCPauseMillis=20",
            "-XX:InitiatingHeapOccupancyPercent=35", "-XX:+ExplicitGCInvokesConcurrent");

    private KafkaBroker() {
    }

    /** Writes the configuration and formats the storage once; answers the broker, not yet started. */
    static ChildProcess prepare(DevstackConfig config) throws IOException {
        Readiness.requireFree(config.kafkaPort(), "ERP_KAFKA_PORT");
        Path home = config.dataRoot().resolve("kafka");
        Path logs = home.resolve("data");
        Files.createDirectories(logs);
        int port = config.kafkaPort();
        int controller = port + 1;
        Path properties = home.resolve("server.properties");
        Files.writeString(properties, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controller,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controller,
                "advertised.listeners=PLAINTEXT://localhost:" + port,
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "inter.broker.listener.name=PLAINTEXT",
                "log.dirs=" + logs,
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                // the services' topics are created as contracts/asyncapi.yaml declares them (decision 0020);
                // auto-create stays on only for the benchmarks' synthetic erp.bench.*.v1 topics
                "auto.create.topics.enable=true",
                ""));
        if (!Files.exists(logs.resolve("meta.properties"))) {
            ChildProcess format = new ChildProcess("kafka-format", java(List.of("-Xmx128m"), "kafka.tools.StorageTool",
                    "format", "-t", Uuid.randomUuid().toString(), "-c", properties.toString()), Map.of(), home,
                    config.logs().resolve("kafka-format.log")).start();
            Readiness.await("Kafka storage format", Duration.ofSeconds(60), () -> !format.isAlive(), null);
            if (!Files.exists(logs.resolve("meta.properties"))) {
                throw new IllegalStateException("Kafka storage format failed:\n" + format.tail(30));
            }
        }
        // and the GC log those scripts keep: a broker's pauses are waits in the acknowledgement of what is in flight
        List<String> jvm = new ArrayList<>(BROKER_JVM);
        jvm.add("-Xlog:gc*:file=" + config.logs().resolve("kafka-gc.log") + ":time,tags:filecount=2,filesize=20M");
        return new ChildProcess("kafka", java(jvm, "kafka.Kafka", properties.toString()), Map.of(), home,
                config.logs().resolve("kafka.log"));
    }

    static void awaitReady(ChildProcess broker, int port) {
        // generous: a broker that restarts on a loaded 2-core machine (fault tests) may take over a minute
        Readiness.await("Kafka", Duration.ofMinutes(3), () -> Readiness.portOpen(port), broker);
    }

    private static List<String> java(List<String> jvmOptions, String mainClass, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Devstack.javaExecutable());
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", Devstack.classpath(), mainClass));
        command.addAll(List.of(args));
        return command;
    }
}
