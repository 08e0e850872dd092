package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import eu.erpdetachement.devstack.ChildProcess;
import eu.erpdetachement.devstack.RunningStack;
import tools.jackson.databind.JsonNode;

/**
 * Nothing waits forever on a dependency (issue 12, decision 0019). A second identity service talks
 * to Keycloak and SMTP, and a second files service to S3, through {@link BlackHole}s: listeners that
 * accept TCP and never answer. The shared stack stays healthy; the tests call the second instances
 * directly, with tokens from the shared gateway. Every route that needs the silent dependency
 * answers a 503 problem within its configured bound, the routes that do not need it keep working,
 * no database connection stays checked out, and nothing is half-written. The answer times are
 * printed ({@code BLACK-HOLE ...} lines) for docs; they are not asserted.
 */
@ExtendWith(EmbeddedStack.class)
class BlackHoleDependenciesIT {

    private static final String USERS_TOPIC = "erp.identity.user.v1";
    private static final String FILES_TOPIC = "erp.files.file.v1";
    /** The second identity service's SMTP timeout: long enough to see a mail still under way after the answer. */
    private static final int SMTP_TIMEOUT_MS = 20_000;

    private static final Api gateway = EmbeddedStack.gateway();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<ChildProcess> instances = new ArrayList<>();
    private static BlackHole keycloak;
    private static BlackHole smtp;
    private static BlackHole s3;
    /** Where the second identity service finds check-in, for its part of a personal-data export. */
    private static BlackHole checkin;
    private static Api identity;
    private static Api files;
    private static int identityManagement;
    private static int filesManagement;
    private static String admin;

    @BeforeAll
    static void startInstancesBehindBlackHoles() throws Exception {
        RunningStack stack = EmbeddedStack.stack();
        admin = EmbeddedStack.ACME_ADMIN.signIn(gateway);
        keycloak = new BlackHole(stack.config().keycloakPort()); // forwards until a test swallows
        smtp = new BlackHole();
        s3 = new BlackHole();
        checkin = new BlackHole();

        int identityPort = freePort();
        identityManagement = freePort();
        instances.add(stack.startExtraInstance("identity-service", identityPort, identityManagement, "identity-black-holes",
                Map.of("ERP_KEYCLOAK_URL", "http://127.0.0.1:" + keycloak.port(),
                        "ERP_SMTP_HOST", "127.0.0.1",
                        "ERP_SMTP_PORT", Integer.toString(smtp.port()),
                        "ERP_SMTP_TIMEOUT_MS", Integer.toString(SMTP_TIMEOUT_MS),
                        "ERP_CHECKIN_URL", "http://127.0.0.1:" + checkin.port(),
                        "ERP_PERSONAL_DATA_READ_TIMEOUT", "PT3S",
                        // its reconciliation would only meet the black hole; the shared instance reconciles
                        "ERP_IDENTITY_RECONCILIATION_INTERVAL", "PT24H")));
        identity = new Api("http://localhost:" + identityPort);

        int filesPort = freePort();
        filesManagement = freePort();
        instances.add(stack.startExtraInstance("files-service", filesPort, filesManagement, "files-black-hole",
                Map.of("ERP_S3_ENDPOINT", "http://127.0.0.1:" + s3.port(),
                        // own consumer groups: the shared files service keeps every partition
                        "SPRING_APPLICATION_NAME", "files-service-black-hole",
                        "ERP_CALLERSTATE_CONSUMEUSEREVENTS", "false",
                        // its sweep would expire the shared stack's uploads and meet the black hole
                        "ERP_FILES_EXPIRY_SWEEP_INTERVAL", "PT24H")));
        files = new Api("http://localhost:" + filesPort);
    }

    @AfterAll
    static void stopInstances() throws Exception {
        instances.forEach(ChildProcess::close);
        for (BlackHole hole : new BlackHole[] {keycloak, smtp, s3, checkin}) {
            if (hole != null) {
                hole.close();
            }
        }
    }

    @Test
    void a_keycloak_that_never_answers_fails_each_identity_route_with_a_503_and_nothing_is_half_written() throws Exception {
        Members.Member member = Members.invite(gateway, admin, "worker", Members.uniqueEmail("kc-hole"));
        JsonNode session = gateway.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", member.password())).json();
        String refreshToken = session.get("refresh_token").asString();
        String memberToken = session.get("access_token").asString();
        assertThat(gateway.postJson("/v1/auth/password-reset/request", null, Map.of("email", member.email())).status()).isEqualTo(202);
        String resetToken = Mailbox.await(member.email(), 2, Duration.ofSeconds(30)).get(1).token("/reset-password");
        String newcomer = Members.uniqueEmail("kc-hole-new");
        String movedTo = Members.uniqueEmail("kc-hole-moved");

        keycloak.swallow();
        try {
            String users = "/v1/users/" + member.userId();
            Map<String, Object> invitation = new LinkedHashMap<>(Map.of("email", newcomer, "role_type", "worker",
                    "is_active", true, "language", "en"));
            // a change in flight does not keep the service's other routes from answering
            CompletableFuture<Api.Reply> inFlight = CompletableFuture.supplyAsync(
                    () -> identity.patchJson(users + "/role", admin, Map.of("role_type", "manager"), Map.of()));
            await("a role change to be waiting on Keycloak").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> keycloak.open() > 0);
            assertThat(identity.get("/v1/me", admin).status()).isEqualTo(200);
            assertThat(identity.get("/v1/users?email_prefix=" + member.email(), admin).status()).isEqualTo(200);
            assertUnavailable("PATCH /v1/users/{id}/role (in flight)", inFlight::join);

            assertUnavailable("POST /v1/users", () -> identity.postJson("/v1/users", admin, invitation));
            assertUnavailable("PATCH /v1/users/{id}/role", () -> identity.patchJson(users + "/role", admin, Map.of("role_type", "manager"), Map.of()));
            assertUnavailable("PATCH /v1/users/{id}/status", () -> identity.patchJson(users + "/status", admin, Map.of("is_active", false), Map.of()));
            assertUnavailable("PATCH /v1/users/{id}", () -> identity.patchJson(users, admin, Map.of("email", movedTo), Map.of()));
            assertUnavailable("POST /v1/users/{id}:erase", () -> identity.post(users + ":erase", admin, null, "", Map.of()));
            assertUnavailable("POST /v1/auth/login", () -> identity.postJson("/v1/auth/login", null, EmbeddedStack.ACME_ADMIN.credentials()));
            assertUnavailable("POST /v1/auth/refresh", () -> identity.postJson("/v1/auth/refresh", null, Map.of("refresh_token", refreshToken)));
            assertUnavailable("POST /v1/auth/logout (refresh token)", () -> identity.postJson("/v1/auth/logout", null, Map.of("refresh_token", refreshToken)));
            assertUnavailable("POST /v1/auth/logout (bearer)", () -> identity.postJson("/v1/auth/logout", memberToken, Map.of()));
            assertUnavailable("POST /v1/auth/password-reset/confirm", () -> identity.postJson("/v1/auth/password-reset/confirm", null,
                    Map.of("token", resetToken, "new_password", "Another-Secret-2026!")));
            // what needs no Keycloak still works
            assertThat(identity.get("/v1/me", admin).status()).isEqualTo(200);
            awaitNoConnectionCheckedOut(identityManagement);
        } finally {
            keycloak.forward();
        }

        // nothing was changed: not the profile (nor its email: the erasure failed too), not Keycloak, no event, no user made
        JsonNode profile = gateway.get("/v1/users?email_prefix=" + member.email(), admin).json().get("items").get(0);
        assertThat(profile.get("role_type").asString()).isEqualTo("worker");
        assertThat(profile.get("is_active").asBoolean()).isTrue();
        assertThat(gateway.get("/v1/users?email_prefix=" + newcomer, admin).json().get("items")).isEmpty();
        assertThat(gateway.get("/v1/users?email_prefix=" + movedTo, admin).json().get("items")).isEmpty();
        assertThat(gateway.postJson("/v1/auth/refresh", null, Map.of("refresh_token", refreshToken)).status())
                .as("the session the failed logout named is still open").isEqualTo(200);
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), USERS_TOPIC)) {
            // a change that works, after the ones that failed: what they wrote would be on the topic before it
            assertThat(gateway.patchJson("/v1/users/" + member.userId(), admin, Map.of("language", "de"), Map.of()).status()).isEqualTo(200);
            List<KafkaEvents.Event> ofMember = new ArrayList<>(events.await(e -> member.userId().equals(e.key())
                    && "UserUpdated".equals(e.headers().get("ce_type")), 1, Duration.ofSeconds(60)));
            ofMember.addAll(events.drainToEnd(Duration.ofSeconds(30)));
            assertThat(ofMember).noneMatch(e -> member.userId().equals(e.key())
                    && List.of("UserRoleChanged", "UserStatusChanged", "UserSessionsEnded", "UserErased").contains(e.headers().get("ce_type")));
            assertThat(ofMember).noneMatch(e -> e.value().contains(newcomer) || e.value().contains(movedTo));
        }
        // the reset link still works (its use was rolled back), and Keycloak answers the second instance again
        assertThat(identity.postJson("/v1/auth/password-reset/confirm", null,
                Map.of("token", resetToken, "new_password", "Another-Secret-2026!")).status()).isEqualTo(200);
        assertThat(identity.postJson("/v1/auth/login", null, Map.of("email", member.email(), "password", "Another-Secret-2026!"))
                .status()).isEqualTo(200);
    }

    @Test
    void a_service_that_never_answers_fails_the_personal_data_export_with_a_503_never_a_partial_document() {
        String adminId = gateway.get("/v1/me", admin).json().get("user_id").asString();
        assertThat(gateway.get("/v1/users/" + adminId + "/personal-data", admin).status()).as("the shared stack answers").isEqualTo(200);
        long start = System.nanoTime();
        assertUnavailable("GET /v1/users/{id}/personal-data (check-in silent)",
                () -> identity.get("/v1/users/" + adminId + "/personal-data", admin));
        // the read timeout (3 s here) plus the connect timeout bound it, well before the gateway's 30 s
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(15));
        assertThat(checkin.accepted()).as("check-in was asked").isPositive();
        awaitNoConnectionCheckedOut(identityManagement);
    }

    @Test
    void an_smtp_server_that_never_answers_delays_no_request_and_holds_no_connection() {
        String email = Members.uniqueEmail("smtp-hole");
        await("no earlier mail to be under way").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> smtp.open() == 0);
        int mailsEnded = smtp.closedByClient();
        int attempts = smtp.accepted();

        Api.Reply invited = timed("POST /v1/users (SMTP silent)", () -> Members.create(identity, admin, email, "worker", true, "en"));
        assertThat(invited.status()).as(invited.body()).isEqualTo(201);
        // answered while the invitation's mail was still waiting on the server: the request did not wait for it
        assertThat(smtp.closedByClient()).isEqualTo(mailsEnded);
        await("the invitation's mail to reach the silent server").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> smtp.accepted() > attempts);
        awaitNoConnectionCheckedOut(identityManagement);

        Api.Reply reset = timed("POST /v1/auth/password-reset/request (SMTP silent)",
                () -> identity.postJson("/v1/auth/password-reset/request", null, Map.of("email", EmbeddedStack.ACME_ADMIN.email())));
        assertThat(reset.status()).isEqualTo(202);
        awaitNoConnectionCheckedOut(identityManagement);

        // the user exists (the mail comes after the commit), and the mails give up at the SMTP timeout
        assertThat(gateway.get("/v1/users?email_prefix=" + email, admin).json().get("items")).hasSize(1);
        await("the mails to give up on the silent server").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200))
                .until(() -> smtp.closedByClient() >= mailsEnded + 2);
    }

    @Test
    void an_s3_that_never_answers_fails_complete_and_direct_upload_with_a_503_and_frees_every_lock() throws Exception {
        byte[] content = FilesIT.Content.bytes(200_000, 31);
        // a file uploaded through the shared stack, for the download link
        Api.Reply stored = FilesIT.Multipart.post(gateway, admin, Map.of("storage_provider", "s3", "bucket", "erp-files",
                "path", "e2e/" + UUID.randomUUID() + "/stored.pdf", "filename", "stored.pdf", "mime_type", "application/pdf"),
                () -> new ByteArrayInputStream(content));
        assertThat(stored.status()).as(stored.body()).isEqualTo(201);
        String storedId = stored.json().get("file_id").asString();

        // registering signs the upload URL locally: the silent store is not asked
        int connections = s3.accepted();
        String path = "e2e/" + UUID.randomUUID() + "/never-verified.pdf";
        Api.Reply registered = timed("POST /v1/files (register, S3 silent)", () -> files.postJson("/v1/files", admin,
                FilesIT.registration(path, "never verified.pdf", "application/pdf", content.length, FilesIT.Content.sha256(content))));
        assertThat(registered.status()).as(registered.body()).isEqualTo(201);
        assertThat(s3.accepted()).isEqualTo(connections);
        String fileId = registered.json().get("file_id").asString();

        // :complete copies and hashes under the file's row lock: it gives up, and the lock with it
        assertUnavailable("POST /v1/files/{id}:complete", () -> files.post("/v1/files/" + fileId + ":complete", admin, null, "", Map.of()));
        assertUnavailable("POST /v1/files/{id}:complete (again)", () -> files.post("/v1/files/" + fileId + ":complete", admin, null, "", Map.of()));
        assertThat(gateway.get("/v1/files/" + fileId, admin).json().get("status").asString()).isEqualTo("pending_upload");

        // a direct upload gives up and frees its path
        String directPath = "e2e/" + UUID.randomUUID() + "/direct.pdf";
        assertUnavailable("POST /v1/files (direct upload)", () -> FilesIT.Multipart.post(files, admin, Map.of("storage_provider", "s3",
                "bucket", "erp-files", "path", directPath, "filename", "direct.pdf", "mime_type", "application/pdf"),
                () -> new ByteArrayInputStream(content)));
        // and so does one of declared size, which streams into a single PUT
        String declaredPath = "e2e/" + UUID.randomUUID() + "/declared.pdf";
        assertUnavailable("POST /v1/files (direct upload, size declared)", () -> FilesIT.Multipart.post(files, admin,
                FilesIT.registration(declaredPath, "declared.pdf", "application/pdf", content.length, FilesIT.Content.sha256(content)),
                () -> new ByteArrayInputStream(content)));

        // what needs no store still works: the download link is signed locally, the file and link routes are database work
        Api.Reply download = timed("GET /v1/files/{id} (S3 silent)", () -> files.get("/v1/files/" + storedId, admin));
        assertThat(download.status()).isEqualTo(200);
        assertThat(download.json().get("download").get("url").asString()).isNotBlank();
        String worker = UUID.randomUUID().toString();
        assertThat(files.postJson("/v1/files/" + storedId + ":link", admin,
                Map.of("entity_type", "worker", "entity_id", worker, "purpose", "a1_certificate")).status()).isEqualTo(201);
        assertThat(files.get("/v1/files?entity_type=worker&entity_id=" + worker, admin).json().get("items")).hasSize(1);
        awaitNoConnectionCheckedOut(filesManagement);

        // nothing half-written: the direct upload's path is free, no file became uploaded, no event announced one
        Api.Reply again = gateway.postJson("/v1/files", admin, FilesIT.registration(directPath, "direct.pdf", "application/pdf",
                content.length, FilesIT.Content.sha256(content)));
        assertThat(again.status()).as(again.body()).isEqualTo(201);
        Api.Reply declaredAgain = gateway.postJson("/v1/files", admin, FilesIT.registration(declaredPath, "declared.pdf",
                "application/pdf", content.length, FilesIT.Content.sha256(content)));
        assertThat(declaredAgain.status()).as(declaredAgain.body()).isEqualTo(201);
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), FILES_TOPIC)) {
            Api.Reply marker = FilesIT.Multipart.post(gateway, admin, Map.of("storage_provider", "s3", "bucket", "erp-files",
                    "path", "e2e/" + UUID.randomUUID() + "/marker.pdf", "filename", "marker.pdf", "mime_type", "application/pdf"),
                    () -> new ByteArrayInputStream(content));
            String markerId = marker.json().get("file_id").asString();
            List<KafkaEvents.Event> published = new ArrayList<>(events.await(e -> markerId.equals(e.key()), 1, Duration.ofSeconds(60)));
            published.addAll(events.drainToEnd(Duration.ofSeconds(30)));
            assertThat(published).noneMatch(e -> fileId.equals(e.key()));
            assertThat(published).noneMatch(e -> e.value().contains(directPath));
            assertThat(published).noneMatch(e -> e.value().contains(declaredPath));
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------

    /** A 503 problem, as the contract documents for every route; its time is printed. */
    private static void assertUnavailable(String route, Supplier<Api.Reply> call) {
        Api.Reply reply = timed(route, call);
        assertThat(reply.status()).as(route + ": " + reply.body()).isEqualTo(503);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    private static Api.Reply timed(String route, Supplier<Api.Reply> call) {
        long start = System.nanoTime();
        Api.Reply reply = call.get();
        System.out.printf("BLACK-HOLE %-45s %d in %.1f s%n", route, reply.status(), (System.nanoTime() - start) / 1e9);
        return reply;
    }

    /** The R2DBC pool of the instance has every connection back (its management port's metrics). */
    private static void awaitNoConnectionCheckedOut(int managementPort) {
        await("every database connection to be back in the pool").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> acquiredConnections(managementPort) == 0);
    }

    private static double acquiredConnections(int managementPort) throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/actuator/prometheus"))
                .GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        List<String> acquired = metrics.lines().filter(l -> l.startsWith("r2dbc_pool_acquired_connections")).toList();
        if (acquired.isEmpty()) {
            throw new AssertionError("No r2dbc_pool_acquired_connections metric on port " + managementPort);
        }
        return acquired.stream().mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static int freePort() throws java.io.IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
