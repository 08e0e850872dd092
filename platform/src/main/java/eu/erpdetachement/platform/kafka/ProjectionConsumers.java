package eu.erpdetachement.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.ConsumerFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ConsumerRecordRecoverer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DeadLetterPublishingRecoverer;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.kafka.listener.MessageListener;
import org.springframework.util.backoff.ExponentialBackOff;

import io.micrometer.core.instrument.MeterRegistry;
import reactor.core.publisher.Mono;

/**
 * Builds the spring-kafka listener containers that feed a service's projections (decision 0020):
 * one record at a time, offsets committed after it was applied; a record that cannot be read goes
 * to {@code <topic>.dlt} at once, one that fails to apply is retried with exponential backoff and
 * then dead-lettered, so no record stops a consumer for good.
 */
public class ProjectionConsumers {

    private static final Logger log = LoggerFactory.getLogger(ProjectionConsumers.class);

    private final ConsumerFactory<String, byte[]> consumerFactory;
    private final KafkaOperations<String, byte[]> deadLetterProducer;
    private final KafkaTopics topics;
    private final ProjectionConsumerProperties properties;
    private final MeterRegistry registry;

    public ProjectionConsumers(ConsumerFactory<String, byte[]> consumerFactory, KafkaOperations<String, byte[]> deadLetterProducer,
            KafkaTopics topics, ProjectionConsumerProperties properties, MeterRegistry registry) {
        this.consumerFactory = consumerFactory;
        this.deadLetterProducer = deadLetterProducer;
        this.topics = topics;
        this.properties = properties;
        this.registry = registry;
    }

    /** A container (a bean, started with the context) reading the projection's topic as {@code groupId}. */
    public ConcurrentMessageListenerContainer<String, byte[]> container(RecordProjection projection, String groupId) {
        ContainerProperties container = new ContainerProperties(projection.topic());
        container.setGroupId(groupId);
        container.setClientId(groupId);
        container.setAckMode(ContainerProperties.AckMode.RECORD);
        container.setMessageListener((MessageListener<String, byte[]>) record -> apply(projection, record));
        ConcurrentMessageListenerContainer<String, byte[]> listener = new ConcurrentMessageListenerContainer<>(consumerFactory, container);
        listener.setCommonErrorHandler(errorHandler(groupId));
        DeadLetters.counter(registry, projection.topic(), groupId);
        return listener;
    }

    void apply(RecordProjection projection, ConsumerRecord<String, byte[]> record) {
        Mono<?> change;
        try {
            change = projection.change(record);
        } catch (RuntimeException e) {
            throw new UnreadableRecordException(record, e);
        }
        change.block(properties.applyTimeout());
    }

    private DefaultErrorHandler errorHandler(String groupId) {
        return errorHandler(groupId, new DeadLetterPublishingRecoverer(deadLetterProducer,
                // partition -1: the producer chooses by key, so the dead-letter topic needs no partition of the source's
                (record, e) -> new TopicPartition(topics.deadLetterOf(record.topic()).name(), -1)));
    }

    /** Not retryable: an unreadable record; anything else: backoff, then {@code publisher}. */
    DefaultErrorHandler errorHandler(String groupId, ConsumerRecordRecoverer publisher) {
        ConsumerRecordRecoverer recoverer = (record, e) -> {
            publisher.accept(record, e);
            DeadLetters.counter(registry, record.topic(), groupId).increment();
            log.warn("Dead-lettered {}-{}@{} for consumer group {}: {}", record.topic(), record.partition(), record.offset(),
                    groupId, rootMessage(e));
        };
        ExponentialBackOff backOff = new ExponentialBackOff(properties.retryInitialInterval().toMillis(), 2.0);
        backOff.setMaxInterval(properties.retryMaxInterval().toMillis());
        backOff.setMaxElapsedTime(properties.retryMaxElapsed().toMillis());
        DefaultErrorHandler handler = new DefaultErrorHandler(recoverer, backOff);
        handler.addNotRetryableExceptions(UnreadableRecordException.class);
        return handler;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.toString();
    }
}
