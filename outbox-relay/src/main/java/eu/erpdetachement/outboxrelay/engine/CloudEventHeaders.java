package eu.erpdetachement.outboxrelay.engine;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.debezium.engine.Header;

/**
 * Kafka headers in the CloudEvents Kafka binding (binary mode), built from the routed outbox
 * record: its {@code id} header becomes {@code ce_id}, the extra columns the router placed
 * ({@code ce_type}, {@code ce_tenantid}, {@code ce_time}, {@code traceparent}) are kept, the key is the subject.
 */
final class CloudEventHeaders {

    private CloudEventHeaders() {
    }

    static Headers of(String topic, String key, List<Header<String>> routed) {
        String id = null;
        String type = null;
        String tenant = null;
        String time = null;
        String traceparent = null;
        for (Header<String> header : routed) {
            String value = unquote(header.getValue());
            switch (header.getKey()) {
                case "id" -> id = value;
                case "ce_type" -> type = value;
                case "ce_tenantid" -> tenant = value;
                case "ce_time" -> time = value;
                case "traceparent" -> traceparent = value;
                default -> { }
            }
        }
        return of(topic, key, id, type, tenant, time, traceparent);
    }

    /** The same headers for a row read from an outbox table directly (recovery). */
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

    /** The topic the Outbox Event Router gives a row of this aggregate type (DebeziumSettings). */
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
