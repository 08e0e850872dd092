package eu.erpdetachement.devstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * docker-compose's PostgreSQL init ({@code deploy/postgres/init.sh}, run by the image's entrypoint)
 * on a fresh cluster that checks passwords: each role gets the password of its environment
 * variable, the one its service is given by compose, and not a value written in the repository.
 * Run with dash, the /bin/sh of Debian-based images.
 */
class ComposePostgresInitTest {

    private static final Path REPO = DevstackConfig.findRepository();
    /** Quotes and spaces too: psql quotes the variables, nothing splices them as text. */
    private static final Map<String, String> PASSWORDS = Map.of(
            "IDENTITY_DB_PASSWORD", "id p'w \"1\"", "FILES_DB_PASSWORD", "files-pw-2", "CHECKIN_DB_PASSWORD", "checkin-pw-3",
            "GATEWAY_DB_PASSWORD", "gateway-pw-4", "RELAY_DB_PASSWORD", "relay-pw-5", "KEYCLOAK_DB_PASSWORD", "kc-pw-6");

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start(@TempDir Path dir) throws IOException {
        // the superuser is trusted (as over the entrypoint's socket); every other role must give its password
        Path hba = Files.writeString(dir.resolve("pg_hba.conf"), String.join("\n",
                "host all postgres 127.0.0.1/32 trust", "host all postgres ::1/128 trust",
                "host all all 127.0.0.1/32 scram-sha-256", "host all all ::1/128 scram-sha-256", ""));
        postgres = EmbeddedPostgres.builder()
                .setServerConfig("wal_level", "logical")
                .setServerConfig("hba_file", hba.toString())
                .setServerConfig("max_slot_wal_keep_size", "64MB")
                .start();
    }

    @AfterAll
    static void stop() throws IOException {
        postgres.close();
    }

    @Test
    void every_role_gets_the_password_of_its_environment_variable() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(PASSWORDS);
        env.put("ERP_INIT_SQL", REPO.resolve("deploy/postgres/init.sql").toString());
        env.put("POSTGRES_USER", "postgres");
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(postgres.getPort()));
        String output = run(env);

        Map<String, String> roles = Map.of("identity_svc", "IDENTITY_DB_PASSWORD", "files_svc", "FILES_DB_PASSWORD",
                "checkin_svc", "CHECKIN_DB_PASSWORD", "gateway_svc", "GATEWAY_DB_PASSWORD", "relay_svc", "RELAY_DB_PASSWORD");
        for (var role : roles.entrySet()) {
            try (Connection c = connect("erp", role.getKey(), PASSWORDS.get(role.getValue()))) {
                assertThat(c.isValid(5)).as(output).isTrue();
            }
            assertThatThrownBy(() -> connect("erp", role.getKey(), role.getKey()).close())
                    .as(role.getKey() + " must not keep its local default password").isInstanceOf(SQLException.class);
        }
        try (Connection c = connect("keycloak", "keycloak", PASSWORDS.get("KEYCLOAK_DB_PASSWORD"));
                Statement s = c.createStatement();
                ResultSet owner = s.executeQuery("SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = 'keycloak'")) {
            assertThat(owner.next()).isTrue();
            assertThat(owner.getString(1)).isEqualTo("keycloak");
        }
        // the rest of init.sql ran too: the relay's publication and slot exist
        try (Connection c = connect("erp", "relay_svc", PASSWORDS.get("RELAY_DB_PASSWORD"));
                Statement s = c.createStatement();
                ResultSet slot = s.executeQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = 'erp_outbox'")) {
            assertThat(slot.next()).isTrue();
            assertThat(slot.getInt(1)).isEqualTo(1);
        }
    }

    @Test
    void a_missing_password_stops_the_init_before_any_role_is_made() throws Exception {
        Map<String, String> env = new LinkedHashMap<>(PASSWORDS);
        env.remove("GATEWAY_DB_PASSWORD");
        env.put("ERP_INIT_SQL", REPO.resolve("deploy/postgres/init.sql").toString());
        env.put("PGHOST", "127.0.0.1");
        env.put("PGPORT", Integer.toString(postgres.getPort()));
        Process process = start(env);
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).contains("GATEWAY_DB_PASSWORD is not set");
    }

    private static String run(Map<String, String> env) throws IOException, InterruptedException {
        Process process = start(env);
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    private static Process start(Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder("dash", REPO.resolve("deploy/postgres/init.sh").toString())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.endsWith("_DB_PASSWORD") || name.startsWith("PG"));
        builder.environment().putAll(env);
        return builder.start();
    }

    private static Connection connect(String database, String user, String password) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database, user, password);
    }
}
