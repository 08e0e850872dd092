package eu.erpdetachement.platform.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.TopicExistsException;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The topics of contracts/asyncapi.yaml with their partitions and configs (each channel's Kafka
 * binding): the one source of the names and settings every topic is created with (decision 0020).
 */
public final class KafkaTopics {

    static final String RESOURCE = "contracts/asyncapi.yaml";
    public static final String DEAD_LETTER_SUFFIX = ".dlt";

    /** A topic as the contract declares it. */
    public record Topic(String name, int partitions, Map<String, String> configs) {

        public NewTopic newTopic() {
            return new NewTopic(name, Optional.of(partitions), Optional.empty()).configs(configs);
        }
    }

    private final Map<String, Topic> topics;

    private KafkaTopics(Map<String, Topic> topics) {
        this.topics = topics;
    }

    public static KafkaTopics fromContract() {
        try (InputStream in = KafkaTopics.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return parse(YAMLMapper.builder().build().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static KafkaTopics parse(JsonNode asyncapi) {
        Map<String, Topic> topics = new LinkedHashMap<>();
        for (JsonNode channel : asyncapi.get("channels")) {
            String name = channel.get("address").asString();
            JsonNode kafka = channel.path("bindings").path("kafka");
            if (!kafka.has("partitions")) {
                throw new IllegalStateException("Channel " + name + " of " + RESOURCE + " declares no Kafka partitions");
            }
            Map<String, String> configs = new LinkedHashMap<>();
            for (var entry : kafka.path("topicConfiguration").properties()) {
                JsonNode value = entry.getValue();
                List<String> values = new ArrayList<>();
                if (value.isArray()) {
                    value.forEach(v -> values.add(v.asString()));
                } else {
                    values.add(value.asString());
                }
                configs.put(entry.getKey(), String.join(",", values));
            }
            topics.put(name, new Topic(name, kafka.get("partitions").asInt(), Map.copyOf(configs)));
        }
        return new KafkaTopics(topics);
    }

    public List<Topic> all() {
        return List.copyOf(topics.values());
    }

    public Topic topic(String name) {
        Topic topic = topics.get(name);
        if (topic == null) {
            throw new IllegalArgumentException("Topic " + name + " is not declared in " + RESOURCE);
        }
        return topic;
    }

    /** The dead-letter topic of a consumed topic: {@code <topic>.dlt}, declared in the contract too. */
    public Topic deadLetterOf(String name) {
        return topic(name + DEAD_LETTER_SUFFIX);
    }

    /**
     * Creates the topics that do not exist yet, with the contract's partitions and configs, and sets
     * the contract's configs on those that exist (one auto-created by an older version has only
     * the broker's defaults). For clients without spring-kafka's KafkaAdmin (the relay).
     */
    public static void ensure(Admin admin, List<Topic> wanted) {
        try {
            for (Topic topic : wanted) {
                try {
                    admin.createTopics(List.of(topic.newTopic())).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("Cannot create topic " + topic.name(), e.getCause());
                    }
                    Collection<AlterConfigOp> set = topic.configs().entrySet().stream()
                            .map(c -> new AlterConfigOp(new ConfigEntry(c.getKey(), c.getValue()), AlterConfigOp.OpType.SET)).toList();
                    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()), set)).all().get();
                }
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot set the configs of the contract's topics", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the contract's topics", e);
        }
    }
}
