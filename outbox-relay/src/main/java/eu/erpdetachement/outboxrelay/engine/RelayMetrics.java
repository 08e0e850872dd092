package eu.erpdetachement.outboxrelay.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** What operators watch: events out per topic, failures, commit-to-ack latency, which instance leads. */
@Component
public class RelayMetrics {

    private final MeterRegistry registry;
    private final Counter failures;
    private final Timer commitToAck;
    private final Timer commitToDecode;
    /** Looked up once per topic: a tagged lookup for every event was a measurable share of the relay's CPU. */
    private final Map<String, Counter> published = new ConcurrentHashMap<>();

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.failures = Counter.builder("erp.relay.publish.failures")
                .description("Batches whose publication to Kafka failed (they are delivered again)").register(registry);
        this.commitToAck = Timer.builder("erp.relay.commit.to.ack")
                .description("From the outbox row's commit to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
        this.commitToDecode = Timer.builder("erp.relay.commit.to.decode")
                .description("From a transaction's commit to the relay reading it from the slot (PostgreSQL's share of commit-to-ack)")
                .publishPercentileHistogram()
                .register(registry);
    }

    /** A transaction committed at {@code commitTime} reaches the relay now. */
    void decoding(Instant commitTime) {
        commitToDecode.record(Duration.between(commitTime, Instant.now()));
    }

    /** 1 on the instance that holds the leader lock and runs the engine: the sum over instances is 1 when all is well. */
    void leading(java.util.function.BooleanSupplier active) {
        io.micrometer.core.instrument.Gauge.builder("erp.relay.leader", () -> active.getAsBoolean() ? 1 : 0)
                .description("1 while this instance is the active relay (holds the leader lock, runs the engine)")
                .register(registry);
    }

    void published(String topic, Instant committedAt) {
        published.computeIfAbsent(topic, t -> registry.counter("erp.relay.published", "topic", t)).increment();
        if (committedAt != null) {
            commitToAck.record(Duration.between(committedAt, Instant.now()));
        }
    }

    void failed() {
        failures.increment();
    }
}
