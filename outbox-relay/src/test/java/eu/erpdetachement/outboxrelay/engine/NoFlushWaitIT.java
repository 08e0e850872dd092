package eu.erpdetachement.outboxrelay.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import eu.erpdetachement.outboxrelay.config.RelayProperties;
import eu.erpdetachement.platform.testkit.TestPostgres;

/**
 * The relay's per-batch writes (deletes of published rows) commit without waiting for the
 * WAL flush, and the relay's other connections still wait for it: the URLs, as PostgreSQL reads them.
 */
class NoFlushWaitIT {

    private final RelayProperties relay = new RelayProperties("localhost:9092",
            new RelayProperties.Db("localhost", TestPostgres.server().getPort(), "erp", "relay_svc", "relay_svc"),
            List.of("checkin.outbox"), null, null, null, null, null, null, null, null, null);

    /** The test server runs without flush waits for speed: the relay's role gets them back, as in production. */
    @BeforeAll
    static void flushWaitsByDefault() {
        TestPostgres.execute("ALTER ROLE relay_svc SET synchronous_commit = on");
    }

    @AfterAll
    static void asBefore() {
        TestPostgres.execute("ALTER ROLE relay_svc RESET synchronous_commit");
    }

    @Test
    void the_connection_that_deletes_published_rows_commits_without_waiting_for_the_flush() throws SQLException {
        assertThat(synchronousCommit(OutboxRelay.rowsUrl(relay))).isEqualTo("off");
        assertThat(synchronousCommit(relay.db().jdbcUrl())).isEqualTo("on");
    }

    private String synchronousCommit(String url) throws SQLException {
        try (Connection c = DriverManager.getConnection(url, relay.db().user(), relay.db().password());
                ResultSet rs = c.createStatement().executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }
}
