package eu.erpdetachement.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Keycloak 26 from its Quarkus distribution on Maven Central, started in dev mode with the erp
 * realm imported, a fixed hostname (stable issuer) and its management port moved off 9000 (the S3
 * port). The distribution is unpacked once per machine into a cache directory, like the Maven
 * cache, so its one-time build (about a minute on 2 cores) is not paid again by each new stack;
 * each stack keeps its own Keycloak database under its data root.
 */
final class KeycloakServer {

    /** Keycloak's categories that name a user by its username, an email (decision 0028), at ERROR only. */
    static final String KEYCLOAK_LOG_LEVEL = "info,org.keycloak.services.resources.admin.UserResource:error";

    private KeycloakServer() {
    }

    static ChildProcess prepare(DevstackConfig config) throws IOException {
        Readiness.requireFree(config.keycloakPort(), "ERP_KEYCLOAK_PORT");
        Readiness.requireFree(config.keycloakManagementPort(), "ERP_KEYCLOAK_MGMT_PORT");
        Path home = unpack(config.repository().resolve("devstack/target/stack-artifacts/keycloak-quarkus-dist.zip"),
                config.cacheRoot().resolve("keycloak"));
        Path database = Files.createDirectories(config.dataRoot().resolve("keycloak"));
        Path imports = Files.createDirectories(home.resolve("data/import"));
        Files.copy(config.repository().resolve("deploy/keycloak/erp-realm.json"), imports.resolve("erp-realm.json"),
                StandardCopyOption.REPLACE_EXISTING);
        int port = config.keycloakPort();
        List<String> command = List.of(home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-host=127.0.0.1",
                "--http-port=" + port,
                "--http-management-port=" + config.keycloakManagementPort(),
                "--hostname=http://localhost:" + port,
                "--health-enabled=true",
                "--import-realm");
        Map<String, String> env = Map.of(
                "JAVA_HOME", System.getProperty("java.home"),
                "KC_DB_URL_PATH", database.toString(), // this stack's dev database, outside the shared distribution
                "JAVA_OPTS_KC_HEAP", "-Xms256m -Xmx768m",
                "KC_BOOTSTRAP_ADMIN_USERNAME", config.keycloakAdmin(),
                "KC_BOOTSTRAP_ADMIN_PASSWORD", config.keycloakAdminPassword(),
                "ERP_IDENTITY_CLIENT_SECRET", config.identityClientSecret(),
                // Keycloak 26 refuses a user's concurrent sign-ins while brute-force protection is on
                // ("user_temporarily_disabled" with no failure): a kiosk account on several devices, or
                // two tabs, must work. Failures are still counted and still lock the account.
                "KC_SPI_BRUTE_FORCE_PROTECTOR__DEFAULT_BRUTE_FORCE_DETECTOR__ALLOW_CONCURRENT_REQUESTS", "true",
                // its jboss-logging event listener writes LOGIN_ERROR with username= the email at WARN: at
                // DEBUG it is never written (decision 0028); the erp realm has no such listener anyway
                "KC_SPI_EVENTS_LISTENER__JBOSS_LOGGING__ERROR_LEVEL", "debug",
                // and the admin API's "Could not update password for user <email>" warning (seen by the e2e check)
                "KC_LOG_LEVEL", KEYCLOAK_LOG_LEVEL);
        return new ChildProcess("keycloak", command, env, home, config.logs().resolve("keycloak.log"));
    }

    static String readinessUrl(DevstackConfig config) {
        return "http://127.0.0.1:" + config.keycloakManagementPort() + "/health/ready";
    }

    /** Unpacks the distribution once; later starts reuse it (and its first-start build). */
    private static Path unpack(Path zip, Path target) throws IOException {
        if (!Files.exists(zip)) {
            throw new IllegalStateException("Missing " + zip + ": build first (./mvnw -q package -DskipTests)");
        }
        try (var dirs = Files.exists(target) ? Files.list(target) : java.util.stream.Stream.<Path>empty()) {
            var existing = dirs.filter(p -> Files.exists(p.resolve("bin/kc.sh"))).findFirst();
            if (existing.isPresent()) {
                return existing.get();
            }
        }
        Files.createDirectories(target);
        Path root = null;
        try (InputStream in = Files.newInputStream(zip); ZipInputStream entries = new ZipInputStream(in)) {
            for (ZipEntry entry = entries.getNextEntry(); entry != null; entry = entries.getNextEntry()) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("Entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(entries, out, StandardCopyOption.REPLACE_EXISTING);
                    if (out.toString().endsWith(".sh")) {
                        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rwxr-xr-x"));
                    }
                }
                if (root == null) {
                    root = target.resolve(entry.getName().split("/")[0]);
                }
            }
        }
        return root;
    }
}
