package eu.erpdetachement.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import reactor.core.publisher.Mono;

/**
 * Turns the records of one topic into writes on a service's local projection. Applying must be
 * idempotent and order-safe: a record is delivered at least once, and offsets are committed only
 * after it was applied.
 */
public interface RecordProjection {

    String topic();

    /**
     * Reads the record and answers the write it makes (run by the caller). Throws when the record
     * cannot be read (not JSON, wrong shape): such a record is dead-lettered at once, never retried.
     */
    Mono<?> change(ConsumerRecord<String, byte[]> record);
}
