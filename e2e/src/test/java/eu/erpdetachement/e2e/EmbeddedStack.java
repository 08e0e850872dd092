package eu.erpdetachement.e2e;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import eu.erpdetachement.devstack.Devstack;
import eu.erpdetachement.devstack.DevstackConfig;
import eu.erpdetachement.devstack.RunningStack;

/**
 * Starts the embedded stack — real PostgreSQL, Kafka, Keycloak, S3, SMTP and the five services —
 * once for the whole test run, and stops it when the run ends. Ports are shifted by 20000 (or by
 * {@code ERP_TEST_PORT_OFFSET}, so that two checkouts can run their suites side by side) and the data
 * lives under target/, so a developer's running stack is never touched. {@code -De2e.stack=running}
 * attaches to a stack started by {@code ./devstack/run} instead; {@code -De2e.stack=containers}
 * ({@code -Ptestcontainers}) runs the components on Testcontainers.
 */
public final class EmbeddedStack implements BeforeAllCallback {

    public static final int PORT_OFFSET = Integer.parseInt(
            System.getenv().getOrDefault("ERP_TEST_PORT_OFFSET", "20000"));

    /** A seeded tenant admin (see DevstackConfig). */
    public record Admin(String tenantId, String email, String password) {

        Map<String, String> credentials() {
            return Map.of("email", email, "password", password);
        }

        /** Signs in through the gateway and answers the access token. */
        String signIn(Api api) {
            Api.Reply reply = api.postJson("/v1/auth/login", null, credentials());
            if (reply.status() != 200) {
                throw new AssertionError("Sign-in of " + email + " failed: " + reply.status() + " " + reply.body());
            }
            return reply.json().get("access_token").asString();
        }
    }

    public static final Admin ACME_ADMIN = new Admin("11111111-1111-4111-8111-111111111111", "admin@acme.test", "Demo-Admin-2026!");
    public static final Admin GLOBEX_ADMIN = new Admin("22222222-2222-4222-8222-222222222222", "admin@globex.test", "Demo-Admin-2026!");

    private static volatile RunningStack stack;

    @Override
    public void beforeAll(ExtensionContext context) {
        context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(RunningStack.class, type -> start(), RunningStack.class);
    }

    private static synchronized RunningStack start() {
        if (stack == null && "running".equals(System.getProperty("e2e.stack"))) {
            // -De2e.stack=running: the stack that ./devstack/run started, found by the same environment
            // (ports, ERP_PORT_OFFSET); only the tests that need no process of their own fit (.ci/smoke.sh)
            stack = RunningStack.attachedTo(DevstackConfig.fromEnvironment(true));
            System.out.println("Using the running stack at " + stack.gatewayUrl());
        }
        if (stack == null) {
            try {
                Path data = Path.of("target", "e2e-stack").toAbsolutePath();
                DevstackConfig config = DevstackConfig.forTests(data, PORT_OFFSET);
                // -Ptestcontainers: PostgreSQL, Kafka, Keycloak and MinIO in containers (decision 0023)
                stack = "containers".equals(System.getProperty("e2e.stack"))
                        ? ContainerStack.start(config) : Devstack.start(config);
                System.out.println("Embedded stack ready in " + stack.readyAfter().toSeconds() + " s");
            } catch (Exception e) {
                throw new IllegalStateException("The embedded stack did not start", e);
            }
        }
        return stack;
    }

    public static RunningStack stack() {
        if (stack == null) {
            throw new IllegalStateException("Annotate the test class with @ExtendWith(EmbeddedStack.class)");
        }
        return stack;
    }

    public static Api gateway() {
        return new Api(stack().gatewayUrl());
    }
}
