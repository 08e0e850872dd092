package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** pgoutput's message formats, as PostgreSQL's documentation gives them, byte by byte. */
class PgOutputTest {

    @Test
    void a_relation_names_its_table_and_columns_in_order() throws IOException {
        var relation = (PgOutput.Relation) PgOutput.decode(message(out -> {
            out.writeByte('R');
            out.writeInt(16_384);
            string(out, "checkin");
            string(out, "outbox");
            out.writeByte('d');
            out.writeShort(3);
            for (String column : new String[] {"id", "aggregatetype", "payload"}) {
                out.writeByte(1);
                string(out, column);
                out.writeInt(2950);
                out.writeInt(-1);
            }
        }));
        assertThat(relation.id()).isEqualTo(16_384);
        assertThat(relation.qualifiedName()).isEqualTo("checkin.outbox");
        assertThat(relation.columns()).containsExactly("id", "aggregatetype", "payload");
        assertThat(relation.column("payload")).isEqualTo(2);
        assertThat(relation.column("traceparent")).isEqualTo(-1);
    }

    @Test
    void an_insert_carries_each_value_as_text_and_nulls_as_null() throws IOException {
        var insert = (PgOutput.Insert) PgOutput.decode(message(out -> {
            out.writeByte('I');
            out.writeInt(16_384);
            out.writeByte('N');
            out.writeShort(3);
            text(out, "6f1c1ac4-77a4-4d0c-9d59-5a1c3f43d0a1");
            out.writeByte('n');
            text(out, "{\"a\": \"é\"}");
        }));
        assertThat(insert.relationId()).isEqualTo(16_384);
        assertThat(insert.text(0)).isEqualTo("6f1c1ac4-77a4-4d0c-9d59-5a1c3f43d0a1");
        assertThat(insert.text(1)).isNull();
        assertThat(insert.text(2)).isEqualTo("{\"a\": \"é\"}");
        assertThat(insert.text(-1)).as("a column the table does not have").isNull();
    }

    @Test
    void begin_and_commit_carry_their_positions() throws IOException {
        var begin = (PgOutput.Begin) PgOutput.decode(message(out -> {
            out.writeByte('B');
            out.writeLong(0x1_6B37_4D48L);
            out.writeLong(849_916_800_123_456L); // microseconds since 2000-01-01
            out.writeInt(751);
        }));
        assertThat(begin.finalLsn()).isEqualTo(0x1_6B37_4D48L);
        assertThat(begin.commitTime()).isEqualTo(java.time.Instant.parse("2026-12-07T00:00:00.123456Z"));
        assertThat(begin.xid()).isEqualTo(751);

        var commit = (PgOutput.Commit) PgOutput.decode(message(out -> {
            out.writeByte('C');
            out.writeByte(0);
            out.writeLong(0x1_6B37_4D48L);
            out.writeLong(0x1_6B37_4D78L);
            out.writeLong(789_000_000L);
        }));
        assertThat(commit.commitLsn()).isEqualTo(0x1_6B37_4D48L);
        assertThat(commit.endLsn()).isEqualTo(0x1_6B37_4D78L);
    }

    @Test
    void other_messages_are_skipped_and_a_malformed_insert_is_refused() throws IOException {
        assertThat(PgOutput.decode(message(out -> out.writeByte('D')))).isEqualTo(new PgOutput.Skipped('D'));
        assertThat(PgOutput.decode(message(out -> out.writeByte('Y')))).isEqualTo(new PgOutput.Skipped('Y'));
        assertThatThrownBy(() -> PgOutput.decode(message(out -> {
            out.writeByte('I');
            out.writeInt(1);
            out.writeByte('N');
            out.writeShort(1);
            out.writeByte('x');
        }))).hasMessageContaining("column format");
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private static ByteBuffer message(Writer writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        writer.write(new DataOutputStream(bytes));
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        out.write(value.getBytes(StandardCharsets.UTF_8));
        out.writeByte(0);
    }

    private static void text(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte('t');
        out.writeInt(bytes.length);
        out.write(bytes);
    }
}
