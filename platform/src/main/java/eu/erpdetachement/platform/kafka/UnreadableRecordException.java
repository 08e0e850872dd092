package eu.erpdetachement.platform.kafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A record its projection cannot read: retrying cannot help, it goes to the dead-letter topic. */
public class UnreadableRecordException extends RuntimeException {

    public UnreadableRecordException(ConsumerRecord<?, ?> record, Throwable cause) {
        super("Unreadable record " + record.topic() + "-" + record.partition() + "@" + record.offset() + ": " + cause, cause);
    }
}
