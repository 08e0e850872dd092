package eu.erpdetachement.outboxrelay.engine;

import java.time.Duration;
import java.time.Instant;

import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** What operators watch: events out per topic, failures, commit-to-ack latency, WAL the slot holds back. */
@Component
public class RelayMetrics {

    private final MeterRegistry registry;
    private final Counter failures;
    private final Timer commitToAck;

    public RelayMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.failures = Counter.builder("erp.relay.publish.failures")
                .description("Batches whose publication to Kafka failed (they are delivered again)").register(registry);
        this.commitToAck = Timer.builder("erp.relay.commit.to.ack")
                .description("From the outbox row's commit to Kafka's acknowledgement")
                .publishPercentileHistogram()
                .register(registry);
    }

    void published(String topic, Instant occurredAt) {
        registry.counter("erp.relay.published", "topic", topic).increment();
        if (occurredAt != null) {
            commitToAck.record(Duration.between(occurredAt, Instant.now()));
        }
    }

    void failed() {
        failures.increment();
    }
}
