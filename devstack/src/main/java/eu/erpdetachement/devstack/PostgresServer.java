package eu.erpdetachement.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL 17 from the zonky binaries, with logical decoding on. Its data directory is kept, so
 * data survives restarts; {@code deploy/postgres/init.sql} runs once, on a fresh cluster.
 */
final class PostgresServer implements AutoCloseable {

    private static final Pattern CONNECT = Pattern.compile("(?m)^\\\\connect\\s+(\\S+)\\s*$");
    /** init.sql's psql variables: compose sets them from the environment (init.sh). */
    private static final Pattern PASSWORD_VARIABLE = Pattern.compile(":'([A-Z]+)_DB_PASSWORD'");

    private final EmbeddedPostgres postgres;
    private final int port;

    private PostgresServer(EmbeddedPostgres postgres, int port) {
        this.postgres = postgres;
        this.port = port;
    }

    static PostgresServer start(DevstackConfig config) throws IOException, SQLException {
        Readiness.requireFree(config.postgresPort(), "ERP_PG_PORT");
        Path data = config.dataRoot().resolve("postgres");
        Files.createDirectories(data.getParent());
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setPort(config.postgresPort())
                .setDataDirectory(data)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(config.dataRoot().resolve("postgres-binaries").toFile())
                .setPGStartupWait(Duration.ofSeconds(60))
                .setServerConfig("wal_level", "logical")
                // zonky defaults to off: commits would reach the WAL (and the relay) only at the WAL
                // writer's next 200 ms round, and a crash could lose them; a devstack keeps its data
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_replication_slots", "8")
                .setServerConfig("max_wal_senders", "8")
                // the relay's slot exists from the first start: bound what it may hold back if no relay reads
                .setServerConfig("max_slot_wal_keep_size", config.env().getOrDefault("ERP_PG_MAX_SLOT_WAL_KEEP_SIZE", "2GB"))
                .setServerConfig("max_connections", "300")
                // its messages beside the other components' logs (not in the output of the JVM that started
                // it), without the DETAIL of an error: a unique violation's key values are personal data
                // such as an email address (decision 0028)
                .setServerConfig("log_error_verbosity", "terse")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(postgresLog(config)))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(postgresLog(config)))
                .start();
        PostgresServer server = new PostgresServer(postgres, config.postgresPort());
        server.initialiseOnce(config.repository().resolve("deploy/postgres/init.sql"));
        return server;
    }

    private static java.io.File postgresLog(DevstackConfig config) throws IOException {
        return Files.createDirectories(config.logs()).resolve("postgres.log").toFile();
    }

    String jdbcUrl(String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    Connection superuser(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), "postgres", "postgres");
    }

    private void initialiseOnce(Path script) throws IOException, SQLException {
        try (Connection c = superuser("postgres"); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = 'erp'")) {
            if (rs.next()) {
                return; // an existing cluster: keep its data
            }
        }
        String sql = withLocalPasswords(Files.readString(script));
        Matcher connects = CONNECT.matcher(sql);
        String database = "postgres";
        for (String part : CONNECT.split(sql)) {
            try (Connection c = superuser(database); Statement s = c.createStatement()) {
                // one statement at a time: CREATE DATABASE refuses to run inside a batch
                for (String statement : part.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!statement.isBlank()) {
                        s.execute(statement);
                    }
                }
            }
            if (connects.find()) {
                database = connects.group(1);
            }
        }
    }

    /** The devstack's roles have the local default passwords: each role's name (IDENTITY_DB_PASSWORD → identity_svc). */
    static String withLocalPasswords(String sql) {
        String resolved = PASSWORD_VARIABLE.matcher(sql)
                .replaceAll(m -> "'" + m.group(1).toLowerCase(java.util.Locale.ROOT) + "_svc'");
        if (resolved.contains(":'")) {
            throw new IllegalStateException("init.sql has a psql variable the devstack does not know: " + resolved);
        }
        return resolved;
    }

    @Override
    public void close() throws IOException {
        postgres.close();
    }
}
