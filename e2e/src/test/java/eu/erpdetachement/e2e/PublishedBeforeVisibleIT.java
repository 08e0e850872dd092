package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A transaction's rows can reach Kafka before other sessions can see them: the walsender decodes a
 * commit as soon as its record is flushed, and the committing backend makes it visible only
 * afterwards — after a synchronous standby's answer when one is configured, after being scheduled
 * again on a loaded machine. The relay's delete of the published rows must still remove them once
 * they are visible, not leave them for the recovery to publish a second time (decision 0018 counts
 * on "a row still in its outbox was never acknowledged"). Found on the devstack: the last seven
 * check-ins of a wrk run were published at once, left in the outbox, and published again by the
 * recovery 23 minutes later. Here a synchronous standby that never answers holds the commit.
 */
@ExtendWith(EmbeddedStack.class)
class PublishedBeforeVisibleIT {

    /** A synthetic event type: the broker creates its topic, no service consumes it. */
    private static final String TOPIC = "erp.bench.visibility.v1";

    @Test
    void rows_published_before_their_commit_is_visible_are_deleted_once_it_is() throws Exception {
        ExecutorService writing = Executors.newSingleThreadExecutor();
        try (Connection writer = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "checkin_svc", "checkin_svc")) {
            int backend = prepare(writer);
            UUID id;
            Future<?> commit;
            superuser("ALTER SYSTEM SET synchronous_standby_names = 'standby_that_never_answers'");
            try {
                // the checkpointer applies the setting a moment after the reload: a commit before that does not wait
                int attempts = 0;
                do {
                    assertThat(++attempts).as("a commit waiting for the standby").isLessThanOrEqualTo(20);
                    UUID row = UUID.randomUUID();
                    id = row;
                    commit = writing.submit(() -> insertOutboxRow(writer, row));
                    Future<?> inserting = commit;
                    await().atMost(Duration.ofSeconds(10)).until(() -> inserting.isDone() || waitsForStandby(backend));
                } while (commit.isDone());
                UUID held = id;
                try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
                    // within the relay's 30 s wait for visibility, after which it leaves the row to the recovery
                    events.await(e -> held.toString().equals(e.headers().get("ce_id")), 1, Duration.ofSeconds(25));
                }
                assertThat(commit.isDone()).as("the commit still waits for the standby").isFalse();
                assertThat(rowsWithId(id)).as("published, yet not visible to another session").isZero();
            } finally {
                superuser("ALTER SYSTEM RESET synchronous_standby_names"); // releases the waiting commit
            }
            commit.get(30, TimeUnit.SECONDS);

            // the relay's completer deletes it once it is visible; the test stack's recovery could not act
            // before the row is 10 s old and two of its rounds (5 s apart) have passed, and would publish it again
            UUID held = id;
            await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> rowsWithId(held) == 0);
        } finally {
            writing.shutdownNow();
        }
    }

    /** The writer's commits wait for a synchronous standby when one is configured; answers its backend's pid. */
    private static int prepare(Connection writer) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("SET synchronous_commit = on");
            try (ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static boolean waitsForStandby(int backend) throws SQLException {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM pg_stat_activity WHERE pid = ? AND wait_event = 'SyncRep'")) {
            q.setInt(1, backend);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1) > 0;
            }
        }
    }

    private static Void insertOutboxRow(Connection writer, UUID id) throws SQLException {
        try (Statement s = writer.createStatement()) {
            s.execute("INSERT INTO checkin.outbox (id, aggregatetype, aggregateid, type, tenant_id, payload) VALUES ('"
                    + id + "', 'bench.visibility', '" + id + "', 'VisibilityProbe', '" + UUID.randomUUID() + "', '{\"probe\": true}')");
        }
        return null;
    }

    private static long rowsWithId(UUID id) throws SQLException {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                PreparedStatement q = c.prepareStatement("SELECT count(*) FROM checkin.outbox WHERE id = ?")) {
            q.setObject(1, id);
            try (ResultSet rs = q.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void superuser(String alterSystem) throws SQLException {
        try (Connection c = DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                Statement s = c.createStatement()) {
            s.execute(alterSystem);
            s.execute("SELECT pg_reload_conf()");
        }
    }
}
