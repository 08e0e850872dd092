package eu.erpdetachement.outboxrelay.engine;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An outbox row as decoded from the WAL, and the Kafka record it becomes: topic
 * {@code erp.<aggregatetype>.v1}, key the aggregate id, value the stored JSON as PostgreSQL wrote it,
 * the other columns as CloudEvents headers (the same record {@link OutboxRecovery} makes from the table).
 *
 * @param table      the outbox it was written to (schema-qualified)
 * @param id         the row's id, the event's {@code ce_id}
 * @param committedAt when its transaction committed (the commit-to-ack metric starts there)
 * @param record     what goes to Kafka
 */
record CapturedRow(String table, UUID id, Instant committedAt, ProducerRecord<String, byte[]> record) {

    /** PostgreSQL's text form of a timestamptz (DateStyle ISO): {@code 2026-12-07 02:01:44.123456+00}. */
    private static final DateTimeFormatter TIMESTAMPTZ = new DateTimeFormatterBuilder()
            .append(DateTimeFormatter.ISO_LOCAL_DATE).appendLiteral(' ').append(DateTimeFormatter.ISO_LOCAL_TIME)
            .appendOffset("+HH:mm:ss", "Z").toFormatter();

    /**
     * A timestamptz as PostgreSQL writes it in a UTC session ({@code 2026-12-07 02:01:44.123456+00}),
     * read by position: java.time's parser was a third of the reading thread's CPU (issue 14). Any
     * other offset goes through the parser.
     */
    static Instant instant(String text) {
        int length = text.length();
        if (length < 22 || length > 29 || text.charAt(10) != ' ' || !text.endsWith("+00")) {
            return OffsetDateTime.parse(text, TIMESTAMPTZ).toInstant();
        }
        int nanos = 0;
        int fractionEnd = length - 3;
        if (fractionEnd > 19) {
            if (text.charAt(19) != '.') {
                return OffsetDateTime.parse(text, TIMESTAMPTZ).toInstant();
            }
            for (int i = 20; i < 29; i++) {
                nanos = nanos * 10 + (i < fractionEnd ? digit(text, i) : 0);
            }
        }
        long seconds = LocalDate.of(number(text, 0, 4), number(text, 5, 7), number(text, 8, 10)).toEpochDay() * 86_400L
                + number(text, 11, 13) * 3_600L + number(text, 14, 16) * 60L + number(text, 17, 19);
        return Instant.ofEpochSecond(seconds, nanos);
    }

    /**
     * {@code ce_time}, as the recovery path writes it ({@link Instant#toString()}: the fraction in groups of
     * three digits). A value no instant can hold ({@code infinity}, a year beyond 9999) goes out as
     * PostgreSQL wrote it: one row must not stop the relay.
     */
    static String ceTime(String text) {
        int length = text.length();
        if (length >= 22 && length <= 29 && text.charAt(10) == ' ' && text.endsWith("+00")) {
            String time = text.substring(11, length - 3);
            int fraction = time.length() - 9; // digits after "HH:mm:ss."
            if (fraction > 0 && fraction % 3 != 0) {
                time = time + "00".substring(0, 3 - fraction % 3);
            }
            return text.substring(0, 10) + 'T' + time + 'Z';
        }
        try {
            return instant(text).toString();
        } catch (java.time.DateTimeException e) {
            return text;
        }
    }

    private static int number(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            value = value * 10 + digit(text, i);
        }
        return value;
    }

    private static int digit(String text, int index) {
        char c = text.charAt(index);
        if (c < '0' || c > '9') {
            throw new java.time.format.DateTimeParseException("Not a timestamptz", text, index);
        }
        return c - '0';
    }

    /** Where each column of an outbox table is, read from its relation message once per session. */
    record Columns(String table, int id, int aggregateType, int aggregateId, int type, int tenantId, int payload,
            int occurredAt, int traceparent) {

        static Columns of(PgOutput.Relation relation) {
            Columns columns = new Columns(relation.qualifiedName(), relation.column("id"), relation.column("aggregatetype"),
                    relation.column("aggregateid"), relation.column("type"), relation.column("tenant_id"),
                    relation.column("payload"), relation.column("occurred_at"),
                    // absent from the relay's heartbeat outbox and from an outbox not migrated to it yet (decision 0021)
                    relation.column("traceparent"));
            if (columns.id < 0 || columns.aggregateType < 0 || columns.aggregateId < 0 || columns.payload < 0) {
                throw new IllegalStateException(relation.qualifiedName() + " lacks an outbox column: " + relation.columns());
            }
            return columns;
        }
    }

    static CapturedRow of(Columns columns, PgOutput.Insert row, Instant committedAt) {
        String topic = CloudEventHeaders.topic(row.text(columns.aggregateType()));
        String key = row.text(columns.aggregateId());
        String id = row.text(columns.id());
        String occurredAt = row.text(columns.occurredAt());
        var headers = CloudEventHeaders.of(topic, key, id, row.text(columns.type()), row.text(columns.tenantId()),
                occurredAt == null ? null : ceTime(occurredAt), row.text(columns.traceparent()));
        // the payload's bytes as they came: the JSON text PostgreSQL stored, never parsed here
        return new CapturedRow(columns.table(), UUID.fromString(id), committedAt,
                new ProducerRecord<>(topic, null, key, row.values()[columns.payload()], headers));
    }
}
