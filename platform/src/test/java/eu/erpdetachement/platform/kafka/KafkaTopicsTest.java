package eu.erpdetachement.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.platform.revocation.UserEventsConsumer;
import eu.erpdetachement.platform.settings.TenantSettingsConsumer;

/** The topics are read from contracts/asyncapi.yaml, with their partitions and configs. */
class KafkaTopicsTest {

    private final KafkaTopics topics = KafkaTopics.fromContract();

    @Test
    void the_settings_state_topic_is_compacted_and_event_topics_keep_a_week() {
        assertThat(topics.topic(TenantSettingsConsumer.TOPIC).configs()).containsEntry("cleanup.policy", "compact");
        assertThat(topics.topic(UserEventsConsumer.TOPIC).configs())
                .isEqualTo(Map.of("cleanup.policy", "delete", "retention.ms", "604800000"));
        assertThat(topics.topic(UserEventsConsumer.TOPIC).partitions()).isEqualTo(3);
        assertThat(topics.all()).extracting(KafkaTopics.Topic::name).contains("erp.files.file.v1", "erp.checkin.worker-check-event.v1");
    }

    @Test
    void every_consumed_topic_has_its_dead_letter_topic() {
        assertThat(topics.deadLetterOf(TenantSettingsConsumer.TOPIC).name()).isEqualTo("erp.identity.tenant-settings.v1.dlt");
        assertThat(topics.deadLetterOf(UserEventsConsumer.TOPIC).configs()).containsEntry("cleanup.policy", "delete");
        assertThat(topics.topic(TenantSettingsConsumer.TOPIC).newTopic().configs()).containsEntry("cleanup.policy", "compact");
    }

    @Test
    void a_topic_the_contract_does_not_declare_is_refused() {
        assertThatThrownBy(() -> topics.topic("erp.unknown.v1")).isInstanceOf(IllegalArgumentException.class);
    }
}
