package eu.erpdetachement.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Every port, credential and directory of the embedded stack. Defaults are those of
 * docs/configuration.md; each can be overridden by its environment variable, and every port is
 * shifted by {@code ERP_PORT_OFFSET} (the tests use 20000 so they never meet a running stack).
 */
public record DevstackConfig(Path repository, Path dataRoot, int portOffset, boolean startServices,
        Map<String, String> env, List<Tenant> tenants, java.util.Set<String> withheldServices) {

    public record Tenant(String slug, String id, String adminEmail, String adminPassword) {
    }

    public static DevstackConfig fromEnvironment(boolean startServices) {
        Path repository = findRepository();
        Map<String, String> env = System.getenv();
        Path root = Path.of(env.getOrDefault("ERP_DEVSTACK_DIR", repository.resolve(".devstack").toString()));
        int offset = Integer.parseInt(env.getOrDefault("ERP_PORT_OFFSET", "0"));
        return new DevstackConfig(repository, root, offset, startServices, env, demoTenants(env), java.util.Set.of());
    }

    /** A tenant only the tests' stacks have, whose settings no test writes before the one that races their first write. */
    public static final Tenant UNTOUCHED_TEST_TENANT = new Tenant("umbrella", "44444444-4444-4444-8444-444444444444",
            "admin@umbrella.test", "Demo-Admin-2026!");

    /**
     * A stack for tests: its own data directory and shifted ports, and besides the demo tenants a
     * third one whose admins only the race tests of the last active admin use (they demote its
     * first admin, which no other test may depend on), and {@link #UNTOUCHED_TEST_TENANT}.
     */
    public static DevstackConfig forTests(Path dataRoot, int portOffset) {
        List<Tenant> tenants = new java.util.ArrayList<>(demoTenants(System.getenv()));
        tenants.add(new Tenant("initech", "33333333-3333-4333-8333-333333333333", "admin@initech.test",
                System.getenv().getOrDefault("ERP_DEMO_PASSWORD", "Demo-Admin-2026!")));
        tenants.add(UNTOUCHED_TEST_TENANT);
        return new DevstackConfig(findRepository(), dataRoot, portOffset, true, System.getenv(), List.copyOf(tenants),
                java.util.Set.of());
    }

    /**
     * Whether {@code component} (postgres, kafka, keycloak, s3, mail) runs elsewhere, on this config's
     * port, named in {@code ERP_DEVSTACK_EXTERNAL} (comma-separated): the devstack then only awaits it.
     */
    public boolean external(String component) {
        return java.util.Arrays.stream(env.getOrDefault("ERP_DEVSTACK_EXTERNAL", "").split(","))
                .map(String::trim).anyMatch(component::equals);
    }

    /** The same stack with these variables added to (or overriding) its environment. */
    public DevstackConfig withEnvironment(Map<String, String> variables) {
        Map<String, String> merged = new java.util.HashMap<>(env);
        merged.putAll(variables);
        return new DevstackConfig(repository, dataRoot, portOffset, startServices, Map.copyOf(merged), tenants, withheldServices);
    }

    /** The same stack with these services prepared but not started (tests start them with RunningStack#startService). */
    public DevstackConfig withholding(java.util.Set<String> services) {
        return new DevstackConfig(repository, dataRoot, portOffset, startServices, env, tenants, java.util.Set.copyOf(services));
    }

    private static List<Tenant> demoTenants(Map<String, String> env) {
        String password = env.getOrDefault("ERP_DEMO_PASSWORD", "Demo-Admin-2026!");
        return List.of(
                new Tenant("acme", "11111111-1111-4111-8111-111111111111", "admin@acme.test", password),
                new Tenant("globex", "22222222-2222-4222-8222-222222222222", "admin@globex.test", password));
    }

    private int port(String variable, int fallback) {
        return Integer.parseInt(env.getOrDefault(variable, Integer.toString(fallback))) + portOffset;
    }

    public int postgresPort() { return port("ERP_PG_PORT", 5432); }
    public int kafkaPort() { return port("ERP_KAFKA_PORT", 9092); }
    public int keycloakPort() { return port("ERP_KEYCLOAK_PORT", 8180); }
    public int keycloakManagementPort() { return port("ERP_KEYCLOAK_MGMT_PORT", 9180); }
    public int s3Port() { return port("ERP_S3_PORT", 9000); }
    public int smtpPort() { return port("ERP_SMTP_PORT", 3025); }
    public int mailApiPort() { return port("ERP_MAIL_API_PORT", 8025); }
    public int gatewayPort() { return port("ERP_GATEWAY_PORT", 8080); }
    public int identityPort() { return port("ERP_IDENTITY_PORT", 8081); }
    public int filesPort() { return port("ERP_FILES_PORT", 8082); }
    public int checkinPort() { return port("ERP_CHECKIN_PORT", 8083); }
    public int relayPort() { return port("ERP_RELAY_PORT", 8084); }
    // actuator (health, metrics) of each service, apart from its API port
    public int gatewayManagementPort() { return port("ERP_GATEWAY_MANAGEMENT_PORT", 9080); }
    public int identityManagementPort() { return port("ERP_IDENTITY_MANAGEMENT_PORT", 9081); }
    public int filesManagementPort() { return port("ERP_FILES_MANAGEMENT_PORT", 9082); }
    public int checkinManagementPort() { return port("ERP_CHECKIN_MANAGEMENT_PORT", 9083); }
    public int relayManagementPort() { return port("ERP_RELAY_MANAGEMENT_PORT", 9084); }

    public String s3AccessKey() { return env.getOrDefault("ERP_S3_ACCESS_KEY", "erp-local"); }
    public String s3SecretKey() { return env.getOrDefault("ERP_S3_SECRET_KEY", "erp-local-secret"); }
    public String identityClientSecret() { return env.getOrDefault("ERP_IDENTITY_CLIENT_SECRET", "erp-identity-dev-secret"); }
    public String keycloakAdmin() { return env.getOrDefault("KC_BOOTSTRAP_ADMIN_USERNAME", "admin"); }
    public String keycloakAdminPassword() { return env.getOrDefault("KC_BOOTSTRAP_ADMIN_PASSWORD", "admin"); }

    /**
     * JVM options of each service (ERP_SERVICE_JVM_OPTS). The default favours start-up on a laptop
     * (C1 only, serial GC, small heap); benchmarks set options like production's.
     */
    public List<String> serviceJvmOptions() {
        return List.of(env.getOrDefault("ERP_SERVICE_JVM_OPTS", "-Xms64m -Xmx384m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC")
                .trim().split("\\s+"));
    }

    public String issuer() {
        return "http://localhost:" + keycloakPort() + "/realms/erp";
    }

    /** Per machine, shared by every stack: unpacked and built distributions (ERP_DEVSTACK_CACHE). */
    public Path cacheRoot() {
        return Path.of(env.getOrDefault("ERP_DEVSTACK_CACHE",
                Path.of(System.getProperty("user.home"), ".cache", "erp-devstack").toString()));
    }

    public Path logs() {
        return dataRoot.resolve("logs");
    }

    /** The directory with pom.xml and contracts/, found from the working directory upwards. */
    static Path findRepository() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("pom.xml")) && Files.isDirectory(dir.resolve("contracts")))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("Run the devstack from inside the repository");
        }
        return dir;
    }
}
