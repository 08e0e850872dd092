package eu.erpdetachement.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.EntityExchangeResult;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.files.app.ExpiringPendingUploads;
import eu.erpdetachement.platform.testkit.OpenApiContract;
import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The files service on a real PostgreSQL with real signed tokens. The object store is unreachable
 * here: these tests are about rows (listing, expiry), and a store that refuses must not stop them.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FilesServiceIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UUID tenant = UUID.randomUUID();

    @LocalServerPort
    int port;

    @Autowired
    ExpiringPendingUploads expiring;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("files", "files_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false"); // no broker here: the projection consumers stay off
        registry.add("erp.files.endpoint", () -> "http://127.0.0.1:9"); // nothing listens: every store call fails fast
        registry.add("erp.files.expiry-sweep-interval", () -> "PT1H"); // the tests run the sweep themselves
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    @Test
    void a_workers_listing_pages_through_its_own_files_whatever_others_linked_before() throws Exception {
        UUID entity = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        UUID worker = UUID.randomUUID();
        List<UUID> all = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            all.add(insertLinkedFile(admin, entity));
        }
        UUID own = insertLinkedFile(worker, entity);
        all.add(own);
        String workerToken = TOKENS.token(worker, tenant, "worker", UUID.randomUUID());
        String adminToken = TOKENS.token(admin, tenant, "tenant_admin", null);

        assertThat(pageThrough(workerToken, entity, 10)).containsExactly(own);
        assertThat(pageThrough(workerToken, entity, 1)).containsExactly(own);
        assertThat(pageThrough(adminToken, entity, 10)).containsExactlyInAnyOrderElementsOf(all).hasSize(31);

        // a worker with several files among others' files gets them all, page by page
        List<UUID> workersFiles = new ArrayList<>(List.of(own));
        for (int i = 0; i < 4; i++) {
            workersFiles.add(insertLinkedFile(worker, entity));
        }
        assertThat(pageThrough(workerToken, entity, 2)).containsExactlyInAnyOrderElementsOf(workersFiles).hasSize(5);
    }

    @Test
    void the_expiry_sweep_expires_more_than_a_thousand_overdue_uploads() throws Exception {
        int overdue = 1_200;
        try (Connection c = TestPostgres.superuserConnection(); var insert = c.prepareStatement("""
                INSERT INTO files.files (file_id, tenant_id, storage_provider, bucket, object_key, filename, mime_type,
                    size_bytes, sha256_hash, status, uploaded_by, created_at)
                SELECT gen_random_uuid(), ?, 's3', 'erp-files', 'tenants/' || ? || '/overdue/' || i || '.pdf',
                    i || '.pdf', 'application/pdf', 10, repeat('a', 64), 'pending_upload', ?, now() - interval '25 hours'
                FROM generate_series(1, ?) i""")) {
            insert.setObject(1, tenant);
            insert.setString(2, tenant.toString());
            insert.setObject(3, UUID.randomUUID());
            insert.setInt(4, overdue);
            assertThat(insert.executeUpdate()).isEqualTo(overdue);
        }
        UUID recent = insertFile(UUID.randomUUID(), "pending_upload");

        // bounded: before the fix this never returned once 32 rows were due
        Long expired = expiring.expireDue().block(Duration.ofMinutes(3));

        assertThat(expired).isGreaterThanOrEqualTo(overdue);
        assertThat(count("SELECT count(*) FROM files.files WHERE tenant_id = ? AND status = 'pending_upload'", tenant)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files.files WHERE tenant_id = ? AND status = 'expired'", tenant)).isEqualTo(overdue);
        assertThat(count("SELECT count(*) FROM files.files WHERE file_id = ? AND status = 'pending_upload'", recent)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM pg_stat_activity WHERE usename = 'files_svc' AND state = 'idle in transaction'"))
                .isZero();
    }

    @Autowired
    eu.erpdetachement.files.app.ErasingPersonFiles erasing;
    @Autowired
    eu.erpdetachement.files.app.RetainedFiles retained;
    @Autowired
    eu.erpdetachement.platform.erasure.ErasedUsers erasedUsers;
    @Autowired
    eu.erpdetachement.platform.settings.TenantSettingsView settingsView;

    /**
     * Rows only (the store is unreachable here, so the files are pending and no object is touched;
     * the e2e DataProtectionIT erases uploaded files on a real store).
     */
    @Test
    void an_erasure_renames_the_files_the_law_requires_deletes_the_others_and_the_sweep_ends_the_retained_ones() throws Exception {
        UUID person = UUID.randomUUID();
        UUID workerId = UUID.randomUUID();
        UUID admin = UUID.randomUUID();
        String email = "jean.dupont." + person + "@acme.test";
        UUID a1 = insertFile(person, "pending_upload");
        TestPostgres.execute("UPDATE files.files SET filename = ?, object_key = ? WHERE file_id = ?", email + " A1.pdf",
                "tenants/" + tenant + "/workers/" + email + "/a1.pdf", a1);
        link(a1, "worker", workerId, "a1_certificate", admin);
        link(a1, "mission", UUID.randomUUID(), "other", admin);
        UUID idDocument = insertFile(admin, "pending_upload");
        link(idDocument, "worker", workerId, "id_document", admin);
        UUID uploadedOnly = insertFile(person, "pending_upload");
        UUID someoneElses = insertFile(admin, "pending_upload");
        link(someoneElses, "worker", UUID.randomUUID(), "a1_certificate", admin);

        JsonNode export = export(TOKENS.token(admin, tenant, "tenant_admin", null), person, workerId);
        assertThat(export.get("files").valueStream().map(f -> UUID.fromString(f.get("file_id").asString())))
                .containsExactlyInAnyOrder(a1, idDocument, uploadedOnly);
        JsonNode a1Export = export.get("files").valueStream().filter(f -> f.get("file_id").asString().equals(a1.toString()))
                .findFirst().orElseThrow();
        assertThat(a1Export.get("links")).as("all its links").hasSize(2);
        assertThat(a1Export.get("filename").asString()).contains(email);
        assertThat(export(TOKENS.token(person, tenant, "worker", workerId), person, workerId).get("files")).hasSize(3);
        assertThat(exportStatus(TOKENS.token(UUID.randomUUID(), tenant, "manager", null), person, workerId)).isEqualTo(403);

        var erased = new eu.erpdetachement.platform.erasure.UserErased(person, tenant, workerId, java.time.Instant.now());
        erasing.erase(erased).block(Duration.ofSeconds(30));
        erasing.erase(erased).block(Duration.ofSeconds(30)); // delivered twice: the same result

        assertThat(count("SELECT count(*) FROM files.files WHERE file_id = ? AND filename = ? AND object_key = ?", a1,
                "erased-" + a1, "tenants/" + tenant + "/erased/" + a1)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files.file_links WHERE file_id = ?", a1)).as("its links stay").isEqualTo(2);
        assertThat(count("SELECT count(*) FROM files.files WHERE file_id = ?", idDocument)).isZero();
        assertThat(count("SELECT count(*) FROM files.file_links WHERE file_id = ?", idDocument)).isZero();
        assertThat(count("SELECT count(*) FROM files.files WHERE file_id = ? AND filename = ?", uploadedOnly, "erased-" + uploadedOnly))
                .isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files.files WHERE file_id = ? AND filename = 'a.pdf'", someoneElses)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files.files WHERE tenant_id = ? AND (filename LIKE ? OR object_key LIKE ?)", tenant,
                "%" + email + "%", "%" + email + "%")).isZero();

        // as the projection consumer applies it (the view keeps what it read in memory for a while)
        settingsView.apply(tenant, tools.jackson.databind.json.JsonMapper.builder().build()
                .readTree("{\"records_retention_months\":1}"), 1).block(Duration.ofSeconds(10));
        assertThat(sweepAt(Duration.ofDays(20))).isZero();
        assertThat(sweepAt(Duration.ofDays(40))).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM files.files WHERE file_id = ?", a1)).isZero();
        assertThat(count("SELECT count(*) FROM files.file_links WHERE file_id = ?", a1)).isZero();
        assertThat(count("SELECT count(*) FROM files.files WHERE file_id IN (?, ?)", uploadedOnly, someoneElses))
                .as("not about an erased worker: not theirs to sweep").isEqualTo(2);
    }

    private long sweepAt(Duration ahead) {
        eu.erpdetachement.platform.erasure.RetainedRecords thisTenant = new eu.erpdetachement.platform.erasure.RetainedRecords() {
            @Override
            public String name() {
                return retained.name();
            }

            @Override
            public reactor.core.publisher.Mono<Long> deleteBatch(UUID tenantId, java.time.Instant cutoff, int batchSize) {
                return tenantId.equals(tenant) ? retained.deleteBatch(tenantId, cutoff, batchSize) : reactor.core.publisher.Mono.just(0L);
            }
        };
        return new eu.erpdetachement.platform.erasure.RetentionSweep(erasedUsers, settingsView, thisTenant,
                java.time.Clock.offset(java.time.Clock.systemUTC(), ahead),
                new eu.erpdetachement.platform.erasure.ErasureProperties(Duration.ofHours(1), 1)).sweep().block(Duration.ofSeconds(30));
    }

    private JsonNode export(String token, UUID user, UUID workerId) {
        return JSON.readTree(exchangeExport(token, user, workerId).getResponseBody());
    }

    private int exportStatus(String token, UUID user, UUID workerId) {
        return exchangeExport(token, user, workerId).getStatus().value();
    }

    private EntityExchangeResult<String> exchangeExport(String token, UUID user, UUID workerId) {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build()
                .get().uri("/internal/v1/users/" + user + "/personal-data?worker_id=" + workerId)
                .header("Authorization", "Bearer " + token)
                .exchange().expectBody(String.class).returnResult();
    }

    private void link(UUID file, String entityType, UUID entity, String purpose, UUID by) throws SQLException {
        TestPostgres.execute("""
                INSERT INTO files.file_links (file_link_id, tenant_id, file_id, entity_type, entity_id, purpose, linked_by)
                VALUES (gen_random_uuid(), ?, ?, ?, ?, ?, ?)""", tenant, file, entityType, entity, purpose, by);
    }

    // --- helpers ------------------------------------------------------------------------------------

    private List<UUID> pageThrough(String token, UUID entity, int limit) {
        List<UUID> seen = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 100; page++) {
            String path = "/v1/files?entity_type=worker&entity_id=" + entity + "&limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor);
            EntityExchangeResult<String> result = WebTestClient.bindToServer().baseUrl("http://localhost:" + port)
                    .responseTimeout(Duration.ofSeconds(30)).build()
                    .get().uri(java.net.URI.create("http://localhost:" + port + path))
                    .header("Authorization", "Bearer " + token)
                    .exchange().expectBody(String.class).returnResult();
            assertThat(result.getStatus().value()).as(result.getResponseBody()).isEqualTo(200);
            CONTRACT.assertResponse("GET", path, 200, String.valueOf(result.getResponseHeaders().getContentType()),
                    result.getResponseBody());
            JsonNode body = JSON.readTree(result.getResponseBody());
            body.get("items").forEach(item -> seen.add(UUID.fromString(item.get("file_id").asString())));
            assertThat(body.get("items").size()).isLessThanOrEqualTo(limit);
            JsonNode next = body.get("next_cursor");
            if (next == null || next.isNull()) {
                return seen;
            }
            assertThat(body.get("items").size()).as("a page before the last is full").isEqualTo(limit);
            cursor = next.asString();
        }
        throw new AssertionError("more than 100 pages");
    }

    private UUID insertLinkedFile(UUID uploadedBy, UUID entity) throws SQLException {
        UUID file = insertFile(uploadedBy, "uploaded");
        try (Connection c = TestPostgres.superuserConnection(); var link = c.prepareStatement("""
                INSERT INTO files.file_links (file_link_id, tenant_id, file_id, entity_type, entity_id, purpose, linked_by)
                VALUES (gen_random_uuid(), ?, ?, 'worker', ?, 'other', ?)""")) {
            link.setObject(1, tenant);
            link.setObject(2, file);
            link.setObject(3, entity);
            link.setObject(4, uploadedBy);
            link.executeUpdate();
        }
        return file;
    }

    private UUID insertFile(UUID uploadedBy, String status) throws SQLException {
        UUID file = UUID.randomUUID();
        try (Connection c = TestPostgres.superuserConnection(); var insert = c.prepareStatement("""
                INSERT INTO files.files (file_id, tenant_id, storage_provider, bucket, object_key, filename, mime_type,
                    size_bytes, sha256_hash, status, uploaded_by, uploaded_at)
                VALUES (?, ?, 's3', 'erp-files', ?, 'a.pdf', 'application/pdf', 10, repeat('a', 64), ?, ?,
                    CASE WHEN ? = 'uploaded' THEN now() END)""")) {
            insert.setObject(1, file);
            insert.setObject(2, tenant);
            insert.setString(3, "tenants/" + tenant + "/" + file + ".pdf");
            insert.setString(4, status);
            insert.setObject(5, uploadedBy);
            insert.setString(6, status);
            insert.executeUpdate();
        }
        return file;
    }

    private static long count(String sql, Object... args) {
        try (Connection c = TestPostgres.superuserConnection(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                statement.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = statement.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
