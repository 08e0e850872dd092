package eu.erpdetachement.platform.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;

/**
 * Reads one topic into a service's local projection, from the earliest offset on first start.
 * Offsets are committed only after the records of a poll are applied: a crash re-reads them, so
 * applying must be idempotent (projections keep the newest version they saw).
 */
public abstract class ProjectionConsumer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(ProjectionConsumer.class);

    private final String topic;
    private final String threadName;
    private final Properties config = new Properties();
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    protected ProjectionConsumer(String topic, String threadName, String bootstrapServers, String groupId) {
        this.topic = topic;
        this.threadName = threadName;
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        // the global registry holds the service's Prometheus registry (Boot's default): no constructor change for consumers
        DeadLetters.counter(Metrics.globalRegistry, topic);
    }

    /** Writes one record into the projection, synchronously. */
    protected abstract void apply(ConsumerRecord<String, String> record);

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name(threadName).daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(config);
                    // kafka_consumer_fetch_manager_records_lag_max and the rest, for the consumer lag alert
                    KafkaClientMetrics metrics = new KafkaClientMetrics(kafka)) {
                metrics.bindTo(Metrics.globalRegistry);
                consumer = kafka;
                kafka.subscribe(List.of(topic));
                while (running) {
                    for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(500))) {
                        apply(record);
                    }
                    kafka.commitSync();
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                log.warn("Consumer of {} failed ({}); reconnecting", topic, e.toString());
                sleepQuietly();
            }
        }
    }

    @Override
    public void stop() {
        running = false;
        KafkaConsumer<String, String> current = consumer;
        if (current != null) {
            current.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private static void sleepQuietly() {
        try {
            Thread.sleep(2000); // back-off before reconnecting, not a synchronisation
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
