package eu.erpdetachement.identity.audit;

import java.util.List;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.platform.kafka.KafkaTopics;
import eu.erpdetachement.platform.kafka.ProjectionConsumers;
import tools.jackson.databind.json.JsonMapper;

/**
 * The audit ledger reads every service's audit topic (decision 0025): one listener container per
 * topic, each topic and its dead-letter topic created as contracts/asyncapi.yaml declares them.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("${erp.kafka.consumer.enabled:true} and ${erp.audit-ledger.enabled:false}")
public class AuditLedgerConfiguration {

    /** The services whose actions are audited, each publishing on erp.<service>.audit.v1. */
    static final List<String> AUDITED_SERVICES = List.of("identity", "files", "checkin");

    @Bean
    KafkaAdmin.NewTopics auditTopics(KafkaTopics topics) {
        return new KafkaAdmin.NewTopics(AUDITED_SERVICES.stream()
                .map(AuditLedgerConsumer::topicOf)
                .flatMap(topic -> java.util.stream.Stream.of(topics.topic(topic).newTopic(), topics.deadLetterOf(topic).newTopic()))
                .toArray(org.apache.kafka.clients.admin.NewTopic[]::new));
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> identityAuditLedgerConsumer(ProjectionConsumers consumers,
            AuditLedger ledger, TransactionalOperator transaction, JsonMapper json) {
        return container(consumers, "identity", ledger, transaction, json);
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> filesAuditLedgerConsumer(ProjectionConsumers consumers,
            AuditLedger ledger, TransactionalOperator transaction, JsonMapper json) {
        return container(consumers, "files", ledger, transaction, json);
    }

    @Bean
    ConcurrentMessageListenerContainer<String, byte[]> checkinAuditLedgerConsumer(ProjectionConsumers consumers,
            AuditLedger ledger, TransactionalOperator transaction, JsonMapper json) {
        return container(consumers, "checkin", ledger, transaction, json);
    }

    private static ConcurrentMessageListenerContainer<String, byte[]> container(ProjectionConsumers consumers, String service,
            AuditLedger ledger, TransactionalOperator transaction, JsonMapper json) {
        // a group per topic: one service's records never wait for another topic's rebalance
        return consumers.container(new AuditLedgerConsumer(service, ledger, transaction, json), "identity-service-audit-ledger-" + service);
    }
}
