package eu.erpdetachement.outboxrelay.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.debezium.engine.Header;

/**
 * Kafka headers in the CloudEvents Kafka binding (binary mode), built from the routed outbox
 * record: its {@code id} header becomes {@code ce_id}, the extra columns the router placed
 * ({@code ce_type}, {@code ce_tenantid}, {@code ce_time}) are kept, the key is the subject.
 */
final class CloudEventHeaders {

    private CloudEventHeaders() {
    }

    static Headers of(String topic, String key, List<Header<String>> routed) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        for (Header<String> header : routed) {
            String value = unquote(header.getValue());
            if (value == null) {
                continue;
            }
            switch (header.getKey()) {
                case "id" -> headers.add("ce_id", bytes(value));
                case "ce_type", "ce_tenantid", "ce_time" -> headers.add(header.getKey(), bytes(value));
                default -> { }
            }
        }
        headers.add("ce_source", bytes(source(topic)));
        if (key != null) {
            headers.add("ce_subject", bytes(key));
        }
        headers.add("content-type", bytes("application/json"));
        return headers;
    }

    /** {@code erp.checkin.worker-check-event.v1} comes from {@code /erp/checkin}. */
    static String source(String topic) {
        String[] parts = topic.split("\\.");
        return parts.length > 1 ? "/erp/" + parts[1] : "/erp";
    }

    /** The JSON converter renders header and key values as JSON: a string arrives quoted. */
    static String unquote(String json) {
        if (json == null || json.equals("null")) {
            return null;
        }
        if (json.length() >= 2 && json.startsWith("\"") && json.endsWith("\"")) {
            return json.substring(1, json.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        return json;
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}
