package eu.erpdetachement.platform.revocation;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import tools.jackson.databind.json.JsonMapper;

/**
 * Reads erp.identity.user.v1 into the caller state tables ({@link UserEventsProjection}), the way
 * the tenant settings consumer does: offsets are committed after the tables are written, so a crash
 * re-reads, and re-applying is harmless.
 */
public class UserEventsConsumer implements SmartLifecycle {

    public static final String TOPIC = "erp.identity.user.v1";
    private static final Logger log = LoggerFactory.getLogger(UserEventsConsumer.class);

    private final UserEventsProjection projection;
    private final JsonMapper json;
    private final Properties config;
    private volatile KafkaConsumer<String, String> consumer;
    private volatile Thread thread;
    private volatile boolean running;

    public UserEventsConsumer(UserEventsProjection projection, JsonMapper json, String bootstrapServers, String groupId) {
        this.projection = projection;
        this.json = json;
        this.config = new Properties();
        config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("user-events-consumer").daemon().start(this::run);
    }

    private void run() {
        while (running) {
            try (KafkaConsumer<String, String> kafka = new KafkaConsumer<>(config)) {
                consumer = kafka;
                kafka.subscribe(List.of(TOPIC));
                while (running) {
                    for (ConsumerRecord<String, String> record : kafka.poll(Duration.ofMillis(500))) {
                        apply(record);
                    }
                    kafka.commitSync();
                }
            } catch (WakeupException stopping) {
                return;
            } catch (RuntimeException e) {
                log.warn("User events consumer failed ({}); reconnecting", e.toString());
                sleepQuietly();
            }
        }
    }

    void apply(ConsumerRecord<String, String> record) {
        Header type = record.headers().lastHeader("ce_type");
        projection.apply(type == null ? null : new String(type.value(), StandardCharsets.UTF_8), json.readTree(record.value()))
                .block(Duration.ofSeconds(30));
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
