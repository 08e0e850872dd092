package eu.erpdetachement.platform.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records a consumer gave up on and set aside (a dead-letter topic): {@code erp_kafka_dead_letters_total{topic}},
 * the topic being the one the record was read from. Registered at zero when a consumer starts, so
 * the alert KafkaDeadLetters (docs/operations.md) has a series before the first dead letter.
 */
public final class DeadLetters {

    public static final String METRIC = "erp.kafka.dead.letters";

    private DeadLetters() {
    }

    public static Counter counter(MeterRegistry registry, String topic) {
        return Counter.builder(METRIC).tag("topic", topic)
                .description("Records set aside to a dead-letter topic after their retries").register(registry);
    }
}
