package eu.erpdetachement.platform.kafka;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Records a consumer group gave up on and set aside to {@code <topic>.dlt}:
 * {@code erp_kafka_consumer_dead_lettered_total{topic,group}}, the topic being the one the record was read
 * from. Registered at zero when a container is built, so the alert KafkaDeadLetters (docs/operations.md)
 * has a series before the first dead letter.
 */
public final class DeadLetters {

    public static final String METRIC = "erp.kafka.consumer.dead.lettered";

    private DeadLetters() {
    }

    public static Counter counter(MeterRegistry registry, String topic, String group) {
        return Counter.builder(METRIC).tag("topic", topic).tag("group", group)
                .description("Records set aside to a dead-letter topic").register(registry);
    }
}
