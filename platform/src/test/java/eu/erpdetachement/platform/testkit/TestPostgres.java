package eu.erpdetachement.platform.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * A real PostgreSQL 17 (zonky binaries) for a service's integration tests, started once per test
 * JVM and set up by the very {@code deploy/postgres/init.sql} that production uses.
 */
public final class TestPostgres {

    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                server = EmbeddedPostgres.builder()
                        .setServerConfig("wal_level", "logical")
                        // init.sql creates the relay's slot, which nothing reads in these tests
                        .setServerConfig("max_slot_wal_keep_size", "256MB")
                        .setServerConfig("max_connections", "200")
                        .start();
                runInitScript(server);
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is going away
                    }
                }));
            } catch (IOException | SQLException e) {
                throw new IllegalStateException("Cannot start PostgreSQL for tests", e);
            }
        }
        return server;
    }

    /** Spring properties that connect a service to its schema as its own role. */
    public static Map<String, String> springProperties(String schema, String role) {
        int port = server().getPort();
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("spring.r2dbc.url", "r2dbc:postgresql://localhost:" + port + "/erp?schema=" + schema);
        properties.put("spring.r2dbc.username", role);
        properties.put("spring.r2dbc.password", role);
        properties.put("spring.datasource.url", "jdbc:postgresql://localhost:" + port + "/erp?currentSchema=" + schema);
        properties.put("spring.datasource.username", role);
        properties.put("spring.datasource.password", role);
        properties.put("spring.flyway.url", "jdbc:postgresql://localhost:" + port + "/erp");
        properties.put("spring.flyway.user", role);
        properties.put("spring.flyway.password", role);
        return properties;
    }

    /** A superuser connection to database {@code erp}, for tests that inspect or tamper with rows. */
    public static Connection superuserConnection() throws SQLException {
        return server().getDatabase("postgres", "erp").getConnection();
    }

    /** Runs one statement as the superuser, with {@code ?} parameters. */
    public static void execute(String sql, Object... args) {
        try (Connection c = superuserConnection(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The single number a query such as {@code SELECT count(*) ...} answers, with {@code ?} parameters. */
    public static long count(String sql, Object... args) {
        try (Connection c = superuserConnection(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (java.sql.ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void runInitScript(EmbeddedPostgres pg) throws SQLException {
        String script;
        try {
            // psql variables (compose sets them from the environment): here each role's password is its name
            script = java.util.regex.Pattern.compile(":'([A-Z]+)_DB_PASSWORD'")
                    .matcher(Files.readString(RepositoryRoot.find().resolve("deploy/postgres/init.sql")))
                    .replaceAll(m -> "'" + m.group(1).toLowerCase(java.util.Locale.ROOT) + "_svc'");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // psql's \connect switches database: run each part on its own connection
        String[] parts = script.split("(?m)^\\\\connect\\s+(\\S+)\\s*$");
        java.util.regex.Matcher databases = java.util.regex.Pattern.compile("(?m)^\\\\connect\\s+(\\S+)\\s*$").matcher(script);
        String database = "postgres";
        for (String part : parts) {
            try (Connection connection = pg.getDatabase("postgres", database).getConnection();
                    Statement statement = connection.createStatement()) {
                // one statement at a time: CREATE DATABASE refuses to run inside a batch
                for (String sql : part.replaceAll("(?m)^--.*$", "").split(";")) {
                    if (!sql.isBlank()) {
                        statement.execute(sql);
                    }
                }
            }
            if (databases.find()) {
                database = databases.group(1);
            }
        }
    }

    /** Finds the repository root (the directory with pom.xml and contracts/) above the working dir. */
    static final class RepositoryRoot {
        static Path find() {
            Path dir = Path.of("").toAbsolutePath();
            while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("contracts")))) {
                dir = dir.getParent();
            }
            if (dir == null) {
                throw new IllegalStateException("Run the tests inside the repository");
            }
            return dir;
        }
    }
}
