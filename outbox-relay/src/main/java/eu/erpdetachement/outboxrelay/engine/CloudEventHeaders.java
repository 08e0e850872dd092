package eu.erpdetachement.outboxrelay.engine;

import java.nio.charset.StandardCharsets;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Kafka headers in the CloudEvents Kafka binding (binary mode), built from an outbox row: its
 * {@code id} becomes {@code ce_id}, {@code type}, {@code tenant_id} and {@code occurred_at} become
 * {@code ce_type}, {@code ce_tenantid} and {@code ce_time}, {@code traceparent} is kept, the key is the subject.
 */
final class CloudEventHeaders {

    private CloudEventHeaders() {
    }

    /** The headers of an outbox row, captured (CapturedRow) or read from its table (recovery). */
    static Headers of(String topic, String key, String id, String type, String tenantId, String time, String traceparent) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        add(headers, "ce_id", id);
        add(headers, "ce_type", type);
        add(headers, "ce_tenantid", tenantId);
        add(headers, "ce_time", time);
        headers.add("ce_source", bytes(source(topic)));
        add(headers, "ce_subject", key);
        headers.add("content-type", bytes("application/json"));
        // W3C trace context of the request that made the change, as AsyncAPI promises (decision 0021)
        add(headers, "traceparent", traceparent);
        return headers;
    }

    /** The topic of a row of this aggregate type: {@code erp.<aggregatetype>.v1}. */
    static String topic(String aggregateType) {
        return "erp." + aggregateType + ".v1";
    }

    private static void add(Headers headers, String name, String value) {
        if (value != null) {
            headers.add(name, bytes(value));
        }
    }

    /** {@code erp.checkin.worker-check-event.v1} comes from {@code /erp/checkin}. */
    static String source(String topic) {
        String[] parts = topic.split("\\.");
        return parts.length > 1 ? "/erp/" + parts[1] : "/erp";
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
