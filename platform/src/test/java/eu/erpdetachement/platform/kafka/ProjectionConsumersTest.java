package eu.erpdetachement.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchException;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.junit.jupiter.api.Test;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.ListenerExecutionFailedException;

import eu.erpdetachement.platform.settings.TenantSettingsConsumer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** Which failures the error handler retries and which go to the dead-letter topic at once. */
class ProjectionConsumersTest {

    private static final String TOPIC = TenantSettingsConsumer.TOPIC;

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ProjectionConsumers consumers = new ProjectionConsumers(null, null, KafkaTopics.fromContract(),
            new ProjectionConsumerProperties(true, Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(200), Duration.ofSeconds(5)),
            registry);
    private final List<ConsumerRecord<?, ?>> deadLettered = new ArrayList<>();
    private final DefaultErrorHandler handler = consumers.errorHandler("files-service-tenant-settings", (r, e) -> deadLettered.add(r));
    private final ConcurrentMessageListenerContainer<String, byte[]> container = new ConcurrentMessageListenerContainer<>(
            new DefaultKafkaConsumerFactory<>(Map.of()), new ContainerProperties(TOPIC));
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");

    @Test
    void a_record_that_is_not_json_or_of_the_wrong_shape_is_dead_lettered_at_the_first_failure() {
        RecordProjection settings = new TenantSettingsConsumer(null, JsonMapper.builder().build());
        for (String value : List.of("not json", "{\"tenant_id\":\"x\"}", "[1]", "{\"tenant_id\":\"nope\",\"settings\":{},\"version\":1}")) {
            ConsumerRecord<String, byte[]> record = record(value);
            Exception thrown = catchException(() -> consumers.apply(settings, record));
            assertThat(thrown).as(value).isInstanceOf(UnreadableRecordException.class);
            assertThat(handler.handleOne(new ListenerExecutionFailedException("failed", thrown), record, consumer, container))
                    .as(value + " recovered without a retry").isTrue();
        }
        assertThat(deadLettered).hasSize(4);
        assertThat(registry.counter("erp.kafka.consumer.dead.lettered", "topic", TOPIC, "group", "files-service-tenant-settings").count())
                .isEqualTo(4);
    }

    @Test
    void a_record_whose_write_fails_is_retried_then_dead_lettered() {
        RecordProjection failing = new RecordProjection() {
            @Override
            public String topic() {
                return TOPIC;
            }

            @Override
            public Mono<?> change(ConsumerRecord<String, byte[]> record) {
                return Mono.error(new IllegalStateException("database down"));
            }
        };
        ConsumerRecord<String, byte[]> record = record("{}");
        int attempts = 0;
        boolean recovered = false;
        while (!recovered && attempts < 10_000) {
            Exception thrown = catchException(() -> consumers.apply(failing, record));
            assertThat(thrown).isNotInstanceOf(UnreadableRecordException.class);
            attempts++;
            recovered = handler.handleOne(new ListenerExecutionFailedException("failed", thrown), record, consumer, container);
        }
        assertThat(recovered).isTrue();
        assertThat(attempts).as("retried before it was dead-lettered").isGreaterThan(1);
        assertThat(deadLettered).containsExactly(record);
    }

    private static ConsumerRecord<String, byte[]> record(String value) {
        return new ConsumerRecord<>(TOPIC, 0, 7L, "k", value.getBytes(StandardCharsets.UTF_8));
    }
}
