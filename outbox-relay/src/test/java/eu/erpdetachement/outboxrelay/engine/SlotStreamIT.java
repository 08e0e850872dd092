package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import eu.erpdetachement.outboxrelay.config.RelayProperties;
import eu.erpdetachement.platform.testkit.TestPostgres;

/**
 * The relay reads its slot itself (decision 0040): what PostgreSQL's pgoutput sends for outbox rows
 * becomes the Kafka record the contract describes, the slot keeps the position the relay confirmed
 * and nothing before it, and a dropped slot is made anew.
 */
@Timeout(60)
class SlotStreamIT {

    private static final String SLOT = "slot_probe";
    private static final String PUBLICATION = "slot_probe";
    private static final String TABLE = "slot_probe.outbox";

    private final RelayProperties relay = new RelayProperties("localhost:9092",
            new RelayProperties.Db("localhost", TestPostgres.server().getPort(), "erp", "relay_svc", "relay_svc"),
            List.of(TABLE), SLOT, PUBLICATION, null, null, null, null, null, null, null);

    @BeforeAll
    static void anOutboxInItsOwnPublication() {
        TestPostgres.execute("DROP SCHEMA IF EXISTS slot_probe CASCADE");
        TestPostgres.execute("CREATE SCHEMA slot_probe");
        TestPostgres.execute("CREATE TABLE " + TABLE + " (id uuid PRIMARY KEY, aggregatetype varchar(255) NOT NULL,"
                + " aggregateid varchar(255) NOT NULL, type varchar(255) NOT NULL, tenant_id uuid NOT NULL, payload jsonb NOT NULL,"
                + " occurred_at timestamptz NOT NULL DEFAULT now(), traceparent text)");
        TestPostgres.execute("CREATE PUBLICATION " + PUBLICATION + " FOR TABLE " + TABLE + " WITH (publish = 'insert')");
    }

    /** Each test from a slot that does not exist yet: the relay makes it, from the moment it does. */
    @BeforeEach
    void noSlot() {
        dropSlot();
    }

    @AfterAll
    static void dropIt() {
        dropSlot();
        TestPostgres.execute("DROP PUBLICATION " + PUBLICATION);
        TestPostgres.execute("DROP SCHEMA slot_probe CASCADE");
    }

    @Test
    void an_outbox_row_becomes_the_record_the_contract_describes() throws SQLException {
        UUID id = UUID.randomUUID();
        UUID tenant = UUID.randomUUID();
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        Instant before = Instant.now().minusSeconds(1);
        try (SlotStream stream = SlotStream.open(relay)) {
            TestPostgres.execute("INSERT INTO " + TABLE + " VALUES (?, 'checkin.worker-check-event', 'm-1:w-1', 'WorkerCheckEventRecorded',"
                    + " ?, '{\"b\": null, \"a\": \"é\"}', '2026-12-07 03:04:05.123456+01', ?)", id, tenant, traceparent);
            CapturedRow row = nextTransaction(stream).getFirst();

            assertThat(row.table()).isEqualTo(TABLE);
            assertThat(row.id()).isEqualTo(id);
            assertThat(row.committedAt()).as("the transaction's commit time").isBetween(before, Instant.now());
            assertThat(row.record().topic()).isEqualTo("erp.checkin.worker-check-event.v1");
            assertThat(row.record().key()).isEqualTo("m-1:w-1");
            // the JSON as PostgreSQL stores it, null fields kept
            assertThat(new String(row.record().value(), StandardCharsets.UTF_8)).isEqualTo("{\"a\": \"é\", \"b\": null}");
            assertThat(headers(row)).containsEntry("ce_id", id.toString()).containsEntry("ce_type", "WorkerCheckEventRecorded")
                    .containsEntry("ce_tenantid", tenant.toString()).containsEntry("ce_time", "2026-12-07T02:04:05.123456Z")
                    .containsEntry("ce_source", "/erp/checkin").containsEntry("ce_subject", "m-1:w-1")
                    .containsEntry("ce_specversion", "1.0").containsEntry("content-type", "application/json")
                    .containsEntry("traceparent", traceparent);
        }
    }

    @Test
    void the_slot_sends_again_what_was_not_confirmed_and_never_what_was() throws SQLException {
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        try (SlotStream stream = SlotStream.open(relay)) {
            insert(first);
            insert(second);
            assertThat(nextTransaction(stream)).extracting(CapturedRow::id).containsExactly(first);
            stream.confirm(lastCommitEnd);
            assertThat(nextTransaction(stream)).extracting(CapturedRow::id).containsExactly(second);
            // the second is not confirmed: a relay that stops here has not published it
        }
        try (SlotStream again = SlotStream.open(relay)) {
            assertThat(nextTransaction(again)).extracting(CapturedRow::id).containsExactly(second);
        }
    }

    @Test
    void a_dropped_slot_is_made_anew_and_streams_what_comes_after() throws SQLException {
        try (SlotStream stream = SlotStream.open(relay)) {
            insert(UUID.randomUUID());
            nextTransaction(stream);
        }
        dropSlot();
        UUID lost = UUID.randomUUID();
        insert(lost); // while no slot exists: the outbox recovery's work, never the stream's
        UUID after = UUID.randomUUID();
        try (SlotStream stream = SlotStream.open(relay)) {
            assertThat(TestPostgres.count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'")).isOne();
            insert(after);
            assertThat(nextTransaction(stream)).extracting(CapturedRow::id).containsExactly(after);
        }
    }

    private static void dropSlot() {
        TestPostgres.count("SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = '" + SLOT + "'");
    }

    private long lastCommitEnd;
    private Instant committedAt;
    /** Relation messages come once per table and session; ids are the tables' oids, stable across sessions. */
    private final Map<Integer, CapturedRow.Columns> relations = new HashMap<>();

    private static void insert(UUID id) {
        TestPostgres.execute("INSERT INTO " + TABLE + " (id, aggregatetype, aggregateid, type, tenant_id, payload)"
                + " VALUES (?, 'checkin.worker-check-event', 'k', 'WorkerCheckEventRecorded', gen_random_uuid(), '{}')", id);
    }

    /** The outbox rows of the next transaction the slot sends, as the relay captures them. */
    private List<CapturedRow> nextTransaction(SlotStream stream) throws SQLException {
        List<CapturedRow> rows = new ArrayList<>();
        while (true) {
            ByteBuffer message = stream.next();
            switch (PgOutput.decode(message)) {
                case PgOutput.Relation relation -> relations.put(relation.id(), CapturedRow.Columns.of(relation));
                case PgOutput.Begin begin -> committedAt = begin.commitTime();
                case PgOutput.Insert insert -> rows.add(CapturedRow.of(relations.get(insert.relationId()), insert, committedAt));
                case PgOutput.Commit commit -> {
                    lastCommitEnd = commit.endLsn();
                    return rows;
                }
                default -> { }
            }
        }
    }

    private static Map<String, String> headers(CapturedRow row) {
        Map<String, String> headers = new HashMap<>();
        for (Header header : row.record().headers()) {
            headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }
}
