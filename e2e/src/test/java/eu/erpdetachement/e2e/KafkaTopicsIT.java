package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every topic of contracts/asyncapi.yaml exists on the stack's broker with the partitions and
 * configs its Kafka binding declares, set on the topic itself (not the broker's defaults an
 * auto-created topic would get): the settings state topic compacted, the dead-letter topics there.
 */
@ExtendWith(EmbeddedStack.class)
class KafkaTopicsIT {

    record Declared(String name, int partitions, Map<String, String> configs) {
    }

    @Test
    void every_contract_topic_exists_as_declared() throws Exception {
        List<Declared> declared = declaredTopics();
        assertThat(declared).extracting(Declared::name).contains("erp.identity.tenant-settings.v1",
                "erp.identity.tenant-settings.v1.dlt", "erp.identity.user.v1.dlt");
        assertThat(declared).filteredOn(t -> t.name().equals("erp.identity.tenant-settings.v1"))
                .singleElement().satisfies(t -> assertThat(t.configs()).containsEntry("cleanup.policy", "compact"));

        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, EmbeddedStack.stack().kafkaBootstrap());
        try (Admin admin = Admin.create(p)) {
            List<String> names = declared.stream().map(Declared::name).toList();
            Map<String, TopicDescription> descriptions = admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS);
            List<ConfigResource> resources = names.stream().map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
            Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get(30, TimeUnit.SECONDS);
            for (Declared topic : declared) {
                assertThat(descriptions.get(topic.name()).partitions()).as(topic.name()).hasSize(topic.partitions());
                Config config = configs.get(new ConfigResource(ConfigResource.Type.TOPIC, topic.name()));
                topic.configs().forEach((key, value) -> {
                    ConfigEntry entry = config.get(key);
                    assertThat(entry.value()).as(topic.name() + " " + key).isEqualTo(value);
                    assertThat(entry.source()).as(topic.name() + " " + key + " set on the topic")
                            .isEqualTo(ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG);
                });
            }
        }
    }

    /** Read here from the contract itself, not through the platform class the services use. */
    private static List<Declared> declaredTopics() throws Exception {
        try (InputStream in = KafkaTopicsIT.class.getClassLoader().getResourceAsStream("contracts/asyncapi.yaml")) {
            JsonNode asyncapi = YAMLMapper.builder().build().readTree(in);
            List<Declared> topics = new ArrayList<>();
            for (JsonNode channel : asyncapi.get("channels")) {
                JsonNode kafka = channel.path("bindings").path("kafka");
                Map<String, String> configs = new LinkedHashMap<>();
                kafka.path("topicConfiguration").properties().forEach(e -> configs.put(e.getKey(),
                        e.getValue().isArray() ? String.join(",", e.getValue().valueStream().map(JsonNode::asString).toList())
                                : e.getValue().asString()));
                topics.add(new Declared(channel.get("address").asString(), kafka.get("partitions").asInt(), configs));
            }
            return topics;
        }
    }
}
