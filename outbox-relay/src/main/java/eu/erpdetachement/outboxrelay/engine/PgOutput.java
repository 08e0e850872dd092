package eu.erpdetachement.outboxrelay.engine;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The messages of PostgreSQL's logical replication protocol (pgoutput, protocol version 1) that the
 * relay acts on, decoded from one XLogData payload. Pure: no I/O. Only inserts reach the relay (the
 * publication carries inserts only, decision 0037); any other message is {@link Skipped}.
 *
 * @see <a href="https://www.postgresql.org/docs/current/protocol-logicalrep-message-formats.html">Logical
 *      Replication Message Formats</a>
 */
final class PgOutput {

    /** A decoded message. */
    sealed interface Message permits Begin, Commit, Relation, Insert, Skipped {
    }

    /** A transaction starts; its changes follow, then its {@link Commit}. */
    record Begin(long finalLsn, Instant commitTime, int xid) implements Message {
    }

    /** A transaction ended; {@code endLsn} is the position to confirm once its rows are published. */
    record Commit(long commitLsn, long endLsn) implements Message {
    }

    /** A table's identity and columns, sent before its first change in a session and after it changed. */
    record Relation(int id, String schema, String table, List<String> columns) implements Message {

        String qualifiedName() {
            return schema + "." + table;
        }

        int column(String name) {
            return columns.indexOf(name);
        }
    }

    /** A new row: each column's value in PostgreSQL's text form, as raw bytes (null for SQL NULL). */
    record Insert(int relationId, byte[][] values) implements Message {

        String text(int column) {
            return column < 0 || values[column] == null ? null : new String(values[column], StandardCharsets.UTF_8);
        }
    }

    /** Anything else: type, origin, update, delete, truncate, logical messages. */
    record Skipped(char type) implements Message {
    }

    /** PostgreSQL counts its timestamps in microseconds from 2000-01-01 UTC. */
    private static final Instant POSTGRES_EPOCH = Instant.parse("2000-01-01T00:00:00Z");

    private PgOutput() {
    }

    static Message decode(ByteBuffer buffer) {
        char type = (char) buffer.get();
        return switch (type) {
            case 'B' -> {
                long finalLsn = buffer.getLong();
                Instant commitTime = POSTGRES_EPOCH.plus(buffer.getLong(), ChronoUnit.MICROS);
                yield new Begin(finalLsn, commitTime, buffer.getInt());
            }
            case 'C' -> {
                buffer.get(); // flags, unused
                long commitLsn = buffer.getLong();
                yield new Commit(commitLsn, buffer.getLong());
            }
            case 'R' -> relation(buffer);
            case 'I' -> insert(buffer);
            default -> new Skipped(type);
        };
    }

    private static Relation relation(ByteBuffer buffer) {
        int id = buffer.getInt();
        String schema = string(buffer);
        String table = string(buffer);
        buffer.get(); // replica identity
        int count = buffer.getShort();
        List<String> columns = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            buffer.get(); // flags (part of the key)
            columns.add(string(buffer));
            buffer.getInt(); // type oid
            buffer.getInt(); // type modifier
        }
        // an empty namespace is pg_catalog, never an outbox
        return new Relation(id, schema.isEmpty() ? "pg_catalog" : schema, table, List.copyOf(columns));
    }

    private static Insert insert(ByteBuffer buffer) {
        int relationId = buffer.getInt();
        byte kind = buffer.get();
        if (kind != 'N') {
            throw new IllegalStateException("pgoutput insert without a new tuple: " + (char) kind);
        }
        int count = buffer.getShort();
        byte[][] values = new byte[count][];
        for (int i = 0; i < count; i++) {
            byte format = buffer.get();
            switch (format) {
                case 'n', 'u' -> values[i] = null; // null; unchanged TOAST never occurs in an insert
                case 't', 'b' -> {
                    byte[] value = new byte[buffer.getInt()];
                    buffer.get(value);
                    values[i] = value;
                }
                default -> throw new IllegalStateException("Unknown pgoutput column format: " + (char) format);
            }
        }
        return new Insert(relationId, values);
    }

    /** A NUL-terminated string in the server's encoding (UTF-8, as deploy/postgres/init.sql creates it). */
    private static String string(ByteBuffer buffer) {
        int start = buffer.position();
        int end = start;
        while (buffer.get(end) != 0) {
            end++;
        }
        byte[] bytes = new byte[end - start];
        buffer.get(start, bytes);
        String value = new String(bytes, StandardCharsets.UTF_8);
        buffer.position(end + 1);
        return value;
    }
}
