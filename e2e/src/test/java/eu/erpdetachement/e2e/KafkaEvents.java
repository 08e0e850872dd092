package eu.erpdetachement.e2e;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;

/** Reads what the relay published, as any downstream consumer would, and checks it against contracts/events. */
final class KafkaEvents implements AutoCloseable {

    record Event(String topic, int partition, long offset, String key, Map<String, String> headers, String value) {

        JsonNode json() {
            return Api.JSON.readTree(value);
        }
    }

    private final KafkaConsumer<String, String> consumer;

    KafkaEvents(String bootstrap, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
    }

    /** Polls until {@code wanted} events match, or fails after the timeout; answers the matches in arrival order. */
    List<Event> await(Predicate<Event> match, int wanted, Duration timeout) {
        List<Event> found = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        while (found.size() < wanted) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("Only " + found.size() + " of " + wanted + " events arrived within " + timeout);
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                Event event = event(r);
                if (match.test(event)) {
                    found.add(event);
                }
            }
        }
        return found;
    }

    /**
     * Everything that is on the topic up to its current end, after what {@link #await} consumed: once
     * a later event has arrived, an earlier one that was published would be in here.
     */
    List<Event> drainToEnd(Duration timeout) {
        List<Event> found = new ArrayList<>();
        Instant deadline = Instant.now().plus(timeout);
        Map<org.apache.kafka.common.TopicPartition, Long> end = consumer.endOffsets(consumer.assignment());
        while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("The topic was not read to its end within " + timeout);
            }
            for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                found.add(event(r));
            }
        }
        return found;
    }

    private static Event event(ConsumerRecord<String, String> r) {
        Map<String, String> headers = new HashMap<>();
        for (Header h : r.headers()) {
            headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
        }
        return new Event(r.topic(), r.partition(), r.offset(), r.key(), headers, r.value());
    }

    /** The violations of an event's payload against contracts/events/{type}.schema.json (empty when valid). */
    static List<String> violations(String type, String payload) {
        String resource = "contracts/events/" + type + ".schema.json";
        try (var in = KafkaEvents.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                return List.of("no schema " + resource);
            }
            JsonNode schemaNode = Api.JSON.readTree(in);
            Schema schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(SchemaLocation.of(schemaNode.get("$id").asString()), schemaNode);
            return schema.validate(Api.JSON.readTree(payload)).stream()
                    .map(e -> e.getInstanceLocation() + ": " + e.getMessage()).toList();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
