package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

/**
 * Files through the gateway on the real S3 server: presigned upload verified by the service,
 * direct multipart upload, links, downloads, and the ways a client can get it wrong.
 */
@ExtendWith(EmbeddedStack.class)
class FilesIT {

    private static final String TOPIC = "erp.files.file.v1";
    private static final long MIB = 1024 * 1024;
    private static final HttpClient S3_CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private static final Api api = EmbeddedStack.gateway();
    private static String acme;
    private static String globex;

    @BeforeAll
    static void signIn() {
        acme = EmbeddedStack.ACME_ADMIN.signIn(api);
        globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
    }

    @Test
    void a_presigned_upload_is_verified_linked_and_downloaded_byte_for_byte() throws Exception {
        byte[] content = Content.bytes(300_000, 1);
        String path = "workers/" + UUID.randomUUID() + "/a1-2026.pdf";

        Api.Reply registered = api.postJson("/v1/files", acme, registration(path, "A1 certificate 2026.pdf", "application/pdf",
                content.length, Content.sha256(content)));
        assertThat(registered.status()).isEqualTo(201);
        JsonNode body = registered.json();
        String fileId = body.get("file_id").asString();
        assertThat(registered.header("Location")).isEqualTo("/v1/files/" + fileId);
        assertThat(body.get("tenant_id").asString()).isEqualTo(EmbeddedStack.ACME_ADMIN.tenantId());
        assertThat(body.get("status").asString()).isEqualTo("pending_upload");
        JsonNode upload = body.get("upload");
        assertThat(upload.get("method").asString()).isEqualTo("PUT");

        // a client that is not ours: a plain HTTP PUT to the presigned URL, with the headers it was told to send
        HttpResponse<String> put = presignedPut(upload, content);
        assertThat(put.statusCode()).isEqualTo(200);

        Api.Reply completed = api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of());
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.json().get("status").asString()).isEqualTo("uploaded");
        assertThat(completed.json().get("sha256_hash").asString()).isEqualTo(Content.sha256(content));

        UUID worker = UUID.randomUUID();
        Map<String, Object> link = Map.of("entity_type", "worker", "entity_id", worker.toString(), "purpose", "a1_certificate");
        Api.Reply linked = api.postJson("/v1/files/" + fileId + ":link", acme, link);
        Api.Reply linkedAgain = api.postJson("/v1/files/" + fileId + ":link", acme, link);
        assertThat(linked.status()).isEqualTo(201);
        assertThat(linkedAgain.status()).isEqualTo(200);
        assertThat(linkedAgain.json().get("file_link_id").asString()).isEqualTo(linked.json().get("file_link_id").asString());
        assertThat(linked.json().get("file_id").asString()).isEqualTo(fileId);

        Api.Reply listed = api.get("/v1/files?entity_type=worker&entity_id=" + worker, acme);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("items")).extracting(f -> f.get("file_id").asString()).containsExactly(fileId);

        Api.Reply metadata = api.get("/v1/files/" + fileId, acme);
        assertThat(metadata.status()).isEqualTo(200);
        HttpResponse<byte[]> download = S3_CLIENT.send(HttpRequest.newBuilder(
                URI.create(metadata.json().get("download").get("url").asString())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(download.body()).isEqualTo(content);
        assertThat(download.headers().firstValue("Content-Disposition")).hasValueSatisfying(
                disposition -> assertThat(disposition).contains("A1%20certificate%202026.pdf"));
    }

    @Test
    void bytes_put_to_the_upload_url_after_complete_never_reach_the_download() throws Exception {
        byte[] content = Content.bytes(40_000, 21);
        byte[] other = Content.bytes(70_000, 22); // another size, another hash
        JsonNode file = register("verified-then-replaced.pdf", content).json();
        String fileId = file.get("file_id").asString();
        assertThat(presignedPut(file.get("upload"), content).statusCode()).isEqualTo(200);
        assertThat(api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of()).status()).isEqualTo(200);

        // the upload URL is still within its 15 minutes: whatever the store answers, the file must not change
        presignedPut(file.get("upload"), other);
        Api.Reply completedAgain = api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of());
        assertThat(completedAgain.status()).isEqualTo(200);
        presignedPut(file.get("upload"), other);

        Api.Reply metadata = api.get("/v1/files/" + fileId, acme);
        assertThat(metadata.json().get("sha256_hash").asString()).isEqualTo(Content.sha256(content));
        HttpResponse<byte[]> download = S3_CLIENT.send(HttpRequest.newBuilder(
                URI.create(metadata.json().get("download").get("url").asString())).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(download.statusCode()).isEqualTo(200);
        assertThat(Content.sha256(download.body())).isEqualTo(metadata.json().get("sha256_hash").asString());
        assertThat(download.body()).isEqualTo(content);
    }

    @Test
    void another_workers_replay_of_an_idempotency_key_is_its_own_request() throws Exception {
        String first = Members.invite(api, acme, "worker", Members.uniqueEmail("files-key-a")).signIn(api);
        String second = Members.invite(api, acme, "worker", Members.uniqueEmail("files-key-b")).signIn(api);
        byte[] content = Content.bytes(1000, 23);
        String key = "upload-" + UUID.randomUUID();
        Map<String, String> withKey = Map.of("Idempotency-Key", key);
        String body = Api.JSON.writeValueAsString(registration("e2e/" + UUID.randomUUID() + "/timesheet.pdf",
                "timesheet.pdf", "application/pdf", content.length, Content.sha256(content)));

        Api.Reply mine = api.post("/v1/files", first, "application/json", body, withKey);
        Api.Reply replayedByOther = api.post("/v1/files", second, "application/json", body, withKey);
        Api.Reply myRetry = api.post("/v1/files", first, "application/json", body, withKey);

        assertThat(mine.status()).isEqualTo(201);
        // the other worker's request is processed as its own: that path is taken, and nothing of the first answer leaks
        assertThat(replayedByOther.status()).isEqualTo(409);
        assertThat(replayedByOther.header("Idempotent-Replayed")).isNull();
        assertThat(replayedByOther.body()).doesNotContain(mine.json().get("file_id").asString())
                .doesNotContain("X-Amz-Signature");
        assertThat(myRetry.status()).isEqualTo(201);
        assertThat(myRetry.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(myRetry.body()).isEqualTo(mine.body());

        // with the same key, each worker registering its own path gets its own file
        String otherKey = "upload-" + UUID.randomUUID();
        List<String> fileIds = new ArrayList<>();
        for (String worker : List.of(first, second)) {
            Api.Reply reply = api.post("/v1/files", worker, "application/json", Api.JSON.writeValueAsString(registration(
                    "e2e/" + UUID.randomUUID() + "/a.pdf", "a.pdf", "application/pdf", content.length, Content.sha256(content))),
                    Map.of("Idempotency-Key", otherKey));
            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.header("Idempotent-Replayed")).isNull();
            fileIds.add(reply.json().get("file_id").asString());
        }
        assertThat(fileIds).doesNotHaveDuplicates();
    }

    @Test
    void file_uploaded_is_published_only_once_the_bytes_are_verified() throws Exception {
        byte[] content = Content.bytes(50_000, 2);
        byte[] wrong = Content.bytes(50_000, 3);
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            // registered and uploaded, never completed: never announced
            JsonNode unverified = register("unverified.pdf", content).json();
            assertThat(presignedPut(unverified.get("upload"), content).statusCode()).isEqualTo(200);

            // first the wrong bytes (refused, deleted), then the right ones
            JsonNode file = register("verified.pdf", content).json();
            String fileId = file.get("file_id").asString();
            assertThat(presignedPut(file.get("upload"), wrong).statusCode()).isEqualTo(200);
            Api.Reply mismatch = api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of());
            assertThat(mismatch.status()).isEqualTo(422);
            assertThat(mismatch.body()).contains("sha256_hash");
            // the refused object is gone: completing again finds nothing to verify
            assertThat(api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of()).status()).isEqualTo(409);
            // nor can a pending file be linked
            assertThat(api.postJson("/v1/files/" + fileId + ":link", acme, Map.of("entity_type", "worker",
                    "entity_id", UUID.randomUUID().toString(), "purpose", "other")).status()).isEqualTo(409);

            assertThat(presignedPut(file.get("upload"), content).statusCode()).isEqualTo(200);
            assertThat(api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of()).status()).isEqualTo(200);

            KafkaEvents.Event event = events.await(e -> fileId.equals(e.key()), 1, Duration.ofSeconds(60)).get(0);
            assertThat(event.headers()).containsEntry("ce_type", "FileUploaded")
                    .containsEntry("ce_tenantid", EmbeddedStack.ACME_ADMIN.tenantId());
            assertThat(KafkaEvents.violations("FileUploaded", event.value())).isEmpty();
            assertThat(event.json().get("sha256_hash").asString()).isEqualTo(Content.sha256(content));
            assertThat(event.json().get("size_bytes").asLong()).isEqualTo(content.length);

            // whatever was published before the verified file's event is on the topic by now
            List<KafkaEvents.Event> rest = events.drainToEnd(Duration.ofSeconds(30));
            assertThat(rest).noneMatch(e -> fileId.equals(e.key()));
            assertThat(rest).noneMatch(e -> unverified.get("file_id").asString().equals(e.key()));
        }
    }

    /** With its size declared the file streams into one PUT of that length; without, in parts. */
    @ParameterizedTest(name = "size declared: {0}")
    @ValueSource(booleans = {true, false})
    void a_20_mib_file_is_uploaded_directly_as_multipart_and_announced(boolean sizeDeclared) throws Exception {
        long size = 20 * MIB;
        String sha256 = Content.sha256(Content.stream(size, 4));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("storage_provider", "minio");
        metadata.put("bucket", "erp-files");
        metadata.put("path", "missions/" + UUID.randomUUID() + "/site-plan.pdf");
        metadata.put("filename", "site plan.pdf");
        metadata.put("mime_type", "application/pdf");
        if (sizeDeclared) {
            metadata.put("size_bytes", size);
            metadata.put("sha256_hash", sha256);
        }

        Api.Reply uploaded = Multipart.post(api, acme, metadata, () -> Content.stream(size, 4));
        assertThat(uploaded.status()).isEqualTo(201);
        assertThat(uploaded.json().get("status").asString()).isEqualTo("uploaded");
        String fileId = uploaded.json().get("file_id").asString();

        Api.Reply file = api.get("/v1/files/" + fileId, acme);
        assertThat(file.json().get("size_bytes").asLong()).isEqualTo(size);
        assertThat(file.json().get("sha256_hash").asString()).isEqualTo(sha256);
        HttpResponse<InputStream> download = S3_CLIENT.send(HttpRequest.newBuilder(
                URI.create(file.json().get("download").get("url").asString())).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(Content.sha256(download.body())).isEqualTo(sha256);

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            KafkaEvents.Event event = events.await(e -> fileId.equals(e.key()), 1, Duration.ofSeconds(60)).get(0);
            assertThat(KafkaEvents.violations("FileUploaded", event.value())).isEmpty();
            assertThat(event.json().get("sha256_hash").asString()).isEqualTo(sha256);
        }
    }

    @Test
    void a_client_that_disconnects_mid_upload_leaves_the_path_free() throws Exception {
        String path = "e2e/" + UUID.randomUUID() + "/interrupted.pdf";
        String objectKey = "tenants/" + EmbeddedStack.ACME_ADMIN.tenantId() + "/" + path;
        Map<String, Object> metadata = registration(path, "interrupted.pdf", "application/pdf", 4 * MIB, null);
        metadata.remove("sha256_hash");
        String boundary = "erp-e2e-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"metadata\"\r\n"
                + "Content-Type: application/json\r\n\r\n"
                + Api.JSON.writeValueAsString(metadata) + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        long declaredLength = head.length + 4 * MIB + ("\r\n--" + boundary + "--\r\n").length();
        URI gateway = URI.create(EmbeddedStack.stack().gatewayUrl());

        try (java.net.Socket socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("POST /v1/files HTTP/1.1\r\nHost: " + gateway.getHost() + ":" + gateway.getPort() + "\r\n"
                    + "Authorization: Bearer " + acme + "\r\n"
                    + "Content-Type: multipart/form-data; boundary=" + boundary + "\r\n"
                    + "Content-Length: " + declaredLength + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(head);
            out.write(Content.bytes((int) MIB, 24)); // a quarter of the file, then the client is gone
            out.flush();
            org.awaitility.Awaitility.await("the path to be reserved by the upload under way").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> filesAt(objectKey, "pending_upload") == 1);
        }

        org.awaitility.Awaitility.await("the cancelled upload to free its path").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> filesAt(objectKey, "pending_upload") == 0);
        byte[] content = Content.bytes(1000, 25);
        Api.Reply again = api.postJson("/v1/files", acme, registration(path, "interrupted.pdf", "application/pdf",
                content.length, Content.sha256(content)));
        assertThat(again.status()).as(again.body()).isEqualTo(201);
    }

    private static long filesAt(String objectKey, String status) throws java.sql.SQLException {
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                java.sql.PreparedStatement count = c.prepareStatement(
                        "SELECT count(*) FROM files.files WHERE object_key = ? AND status = ?")) {
            count.setString(1, objectKey);
            count.setString(2, status);
            try (java.sql.ResultSet rs = count.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** A body shorter or longer than its declared size is refused before the store keeps it, and frees its path. */
    @ParameterizedTest(name = "bytes sent: declared {0}")
    @ValueSource(longs = {-1, +1, -(3 * 1024 * 1024)})
    void a_direct_upload_unlike_its_declared_size_is_refused_and_leaves_no_file(long difference) throws Exception {
        long declared = 4 * MIB;
        String path = "missions/" + UUID.randomUUID() + "/miscounted.pdf";
        String objectKey = "tenants/" + EmbeddedStack.ACME_ADMIN.tenantId() + "/" + path;
        Map<String, Object> metadata = registration(path, "miscounted.pdf", "application/pdf", declared, null);
        metadata.remove("sha256_hash");

        Api.Reply refused = Multipart.post(api, acme, metadata, () -> Content.stream(declared + difference, 7));

        assertThat(refused.status()).as(refused.body()).isEqualTo(difference > 0 ? 413 : 422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        if (difference < 0) {
            assertThat(fieldsOf(refused)).containsExactly("size_bytes");
        }
        assertThat(filesAt(objectKey, "uploaded")).isZero();
        assertThat(filesAt(objectKey, "pending_upload")).isZero();
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of("target", "e2e-stack", "s3", "objects", "erp-files")
                .toAbsolutePath().resolve(objectKey))).as("an object under " + objectKey).isFalse();
        byte[] small = Content.bytes(1000, 8);
        assertThat(api.postJson("/v1/files", acme, registration(path, "small.pdf", "application/pdf", small.length,
                Content.sha256(small))).status()).isEqualTo(201);
    }

    @Test
    void a_direct_upload_beyond_the_tenant_limit_is_413_and_leaves_no_file() throws Exception {
        String path = "missions/" + UUID.randomUUID() + "/too-big.pdf";
        Map<String, Object> metadata = Map.of("storage_provider", "s3", "bucket", "erp-files", "path", path,
                "filename", "too big.pdf", "mime_type", "application/pdf");

        Api.Reply refused = Multipart.post(api, acme, metadata, () -> Content.stream(26 * MIB, 5));

        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        // the path is free again: nothing was kept under it
        byte[] small = Content.bytes(1000, 6);
        assertThat(api.postJson("/v1/files", acme, registration(path, "small.pdf", "application/pdf", small.length,
                Content.sha256(small))).status()).isEqualTo(201);
    }

    @Test
    void declaring_more_than_the_tenant_limit_is_refused() {
        Api.Reply refused = api.postJson("/v1/files", acme, registration("x/big.pdf", "big.pdf", "application/pdf",
                25 * MIB + 1, "a".repeat(64)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(fieldsOf(refused)).containsExactly("size_bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../other-tenant/secret.pdf", "a/../../b.pdf", "/etc/passwd", "a\\..\\b.pdf",
            "a/%2e%2e/b.pdf", "a/\u0000b.pdf", "..", "./", "tenants/22222222-2222-4222-8222-222222222222/../x.pdf"})
    void a_path_that_could_escape_the_tenant_prefix_is_refused(String path) {
        Api.Reply refused = api.postJson("/v1/files", acme, registration(path, "x.pdf", "application/pdf", 10, "b".repeat(64)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(fieldsOf(refused)).containsExactly("path");
    }

    @Test
    void a_path_is_stored_under_the_tenant_prefix() throws Exception {
        byte[] content = Content.bytes(10, 7);
        Api.Reply registered = api.postJson("/v1/files", acme, registration("./docs//" + UUID.randomUUID() + "/c.pdf", "c.pdf",
                "application/pdf", content.length, Content.sha256(content)));
        assertThat(registered.status()).isEqualTo(201);
        // the upload URL writes a key of its own, outside every tenant's prefix (decision 0015)
        assertThat(registered.json().get("upload").get("url").asString())
                .contains("/erp-files/uploads/" + EmbeddedStack.ACME_ADMIN.tenantId() + "/" + registered.json().get("file_id").asString());
        assertThat(presignedPut(registered.json().get("upload"), content).statusCode()).isEqualTo(200);
        Api.Reply completed = api.post("/v1/files/" + registered.json().get("file_id").asString() + ":complete", acme, null, "", Map.of());
        assertThat(completed.status()).isEqualTo(200);
        assertThat(completed.json().get("download").get("url").asString())
                .contains("/erp-files/tenants/" + EmbeddedStack.ACME_ADMIN.tenantId() + "/docs/");
    }

    @Test
    void another_bucket_a_malformed_hash_or_an_unknown_provider_is_refused_field_by_field() {
        Map<String, Object> body = registration("x/a.pdf", "a.pdf", "application/pdf", 10, "not-a-hash");
        body.put("bucket", "someone-elses-bucket");
        body.put("storage_provider", "ftp");
        Api.Reply refused = api.postJson("/v1/files", acme, body);
        assertThat(refused.status()).isEqualTo(422);
        assertThat(fieldsOf(refused)).containsExactlyInAnyOrder("bucket", "sha256_hash", "storage_provider");
    }

    @Test
    void the_presigned_upload_is_valid_for_at_most_15_minutes() {
        byte[] content = Content.bytes(10, 11);
        JsonNode upload = register("soon.pdf", content).json().get("upload");
        java.time.Instant expires = java.time.Instant.parse(upload.get("expires_at").asString());
        assertThat(expires).isBefore(java.time.Instant.now().plus(Duration.ofMinutes(15)).plusSeconds(5));
        assertThat(upload.get("url").asString()).contains("X-Amz-Expires=900");
    }

    @Test
    void a_json_body_beyond_64_kib_is_413_and_nothing_is_registered() {
        Map<String, Object> body = registration("x/" + UUID.randomUUID() + "/huge.pdf", "x".repeat(100_000) + ".pdf",
                "application/pdf", 10, "e".repeat(64));
        Api.Reply refused = api.postJson("/v1/files", acme, body);
        assertThat(refused.status()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void links_take_only_the_documented_entity_types_and_purposes() throws Exception {
        byte[] content = Content.bytes(100, 12);
        JsonNode file = register("linked.pdf", content).json();
        String fileId = file.get("file_id").asString();
        assertThat(presignedPut(file.get("upload"), content).statusCode()).isEqualTo(200);
        assertThat(api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of()).status()).isEqualTo(200);

        Api.Reply refused = api.postJson("/v1/files/" + fileId + ":link", acme, Map.of("entity_type", "spaceship",
                "entity_id", UUID.randomUUID().toString(), "purpose", "souvenir"));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(fieldsOf(refused)).containsExactlyInAnyOrder("entity_type", "purpose");
    }

    @Test
    void a_mime_type_outside_the_tenant_allowlist_is_refused() {
        Api.Reply refused = api.postJson("/v1/files", acme, registration("x/tool.exe", "tool.exe",
                "application/x-msdownload", 10, "c".repeat(64)));
        assertThat(refused.status()).isEqualTo(422);
        assertThat(fieldsOf(refused)).containsExactly("mime_type");
    }

    @Test
    void another_tenants_file_is_404_everywhere() throws Exception {
        byte[] content = Content.bytes(1000, 8);
        JsonNode file = register("globex-cannot-see.pdf", content).json();
        String fileId = file.get("file_id").asString();
        assertThat(presignedPut(file.get("upload"), content).statusCode()).isEqualTo(200);

        assertThat(api.get("/v1/files/" + fileId, globex).status()).isEqualTo(404);
        assertThat(api.post("/v1/files/" + fileId + ":complete", globex, null, "", Map.of()).status()).isEqualTo(404);
        assertThat(api.postJson("/v1/files/" + fileId + ":link", globex, Map.of("entity_type", "worker",
                "entity_id", UUID.randomUUID().toString(), "purpose", "other")).status()).isEqualTo(404);
        // and Globex's attempt did not complete it for ACME
        assertThat(api.get("/v1/files/" + fileId, acme).json().get("status").asString()).isEqualTo("pending_upload");
    }

    @Test
    void a_worker_sees_completes_and_links_only_the_files_it_uploaded() throws Exception {
        Members.Member worker = Members.invite(api, acme, "worker", Members.uniqueEmail("files-worker"));
        String workerToken = worker.signIn(api);
        byte[] content = Content.bytes(2000, 9);

        Api.Reply own = api.postJson("/v1/files", workerToken, registration("e2e/" + UUID.randomUUID() + "/payslip.pdf",
                "payslip.pdf", "application/pdf", content.length, Content.sha256(content)));
        assertThat(own.status()).isEqualTo(201);
        String ownId = own.json().get("file_id").asString();
        assertThat(presignedPut(own.json().get("upload"), content).statusCode()).isEqualTo(200);
        assertThat(api.post("/v1/files/" + ownId + ":complete", workerToken, null, "", Map.of()).status()).isEqualTo(200);
        assertThat(api.postJson("/v1/files/" + ownId + ":link", workerToken, Map.of("entity_type", "worker",
                "entity_id", UUID.randomUUID().toString(), "purpose", "payslip")).status()).isEqualTo(201);
        assertThat(api.get("/v1/files/" + ownId, workerToken).status()).isEqualTo(200);

        JsonNode admins = register("admins.pdf", content).json();
        String adminsId = admins.get("file_id").asString();
        assertThat(presignedPut(admins.get("upload"), content).statusCode()).isEqualTo(200);
        assertThat(api.post("/v1/files/" + adminsId + ":complete", workerToken, null, "", Map.of()).status()).isEqualTo(403);
        assertThat(api.post("/v1/files/" + adminsId + ":complete", acme, null, "", Map.of()).status()).isEqualTo(200);
        assertThat(api.get("/v1/files/" + adminsId, workerToken).status()).isEqualTo(403);
        assertThat(api.postJson("/v1/files/" + adminsId + ":link", workerToken, Map.of("entity_type", "worker",
                "entity_id", UUID.randomUUID().toString(), "purpose", "other")).status()).isEqualTo(403);
    }

    @Test
    void a_pending_upload_left_for_24_hours_expires_and_its_object_is_deleted() throws Exception {
        byte[] content = Content.bytes(500, 10);
        JsonNode file = register("forgotten.pdf", content).json();
        String fileId = file.get("file_id").asString();
        assertThat(presignedPut(file.get("upload"), content).statusCode()).isEqualTo(200);
        java.nio.file.Path stored = storedObject(file.get("upload").get("url").asString());
        assertThat(stored).exists();

        // a day passes for this file (the sweep runs every 5 s in the test stack, see the e2e POM)
        try (java.sql.Connection c = java.sql.DriverManager.getConnection(EmbeddedStack.stack().jdbcUrl(), "postgres", "postgres");
                java.sql.PreparedStatement age = c.prepareStatement(
                        "UPDATE files.files SET created_at = now() - interval '25 hours' WHERE file_id = ?")) {
            age.setObject(1, UUID.fromString(fileId));
            assertThat(age.executeUpdate()).isEqualTo(1);
        }

        org.awaitility.Awaitility.await("the pending file to expire").atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofSeconds(1))
                .until(() -> "expired".equals(api.get("/v1/files/" + fileId, acme).json().get("status").asString()));
        assertThat(stored).doesNotExist();
        Api.Reply complete = api.post("/v1/files/" + fileId + ":complete", acme, null, "", Map.of());
        assertThat(complete.status()).isEqualTo(409);
        assertThat(complete.json().get("file_status").asString()).isEqualTo("expired");
    }

    @Test
    void anonymous_calls_are_401() {
        assertThat(api.postJson("/v1/files", null, registration("x/a.pdf", "a.pdf", "application/pdf", 1, "d".repeat(64)))
                .status()).isEqualTo(401);
        assertThat(api.get("/v1/files/" + UUID.randomUUID(), null).status()).isEqualTo(401);
    }

    // --- helpers ------------------------------------------------------------------------------------

    private static Api.Reply register(String filename, byte[] content) {
        Api.Reply reply = api.postJson("/v1/files", acme, registration("e2e/" + UUID.randomUUID() + "/" + filename, filename,
                "application/pdf", content.length, Content.sha256(content)));
        assertThat(reply.status()).as(reply.body()).isEqualTo(201);
        return reply;
    }

    /** A {@code FileUploadRequest} for the default bucket. */
    static Map<String, Object> registration(String path, String filename, String mimeType, long size, String sha256) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("storage_provider", "s3");
        body.put("bucket", "erp-files");
        body.put("path", path);
        body.put("filename", filename);
        body.put("mime_type", mimeType);
        body.put("size_bytes", size);
        body.put("sha256_hash", sha256);
        return body;
    }

    private static HttpResponse<String> presignedPut(JsonNode upload, byte[] content) throws Exception {
        HttpRequest.Builder put = HttpRequest.newBuilder(URI.create(upload.get("url").asString()))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(content));
        upload.get("headers").properties().forEach(h -> put.header(h.getKey(), h.getValue().asString()));
        return S3_CLIENT.send(put.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Where the embedded S3 server (filesystem backend) keeps the object a presigned URL points at. */
    private static java.nio.file.Path storedObject(String presignedUrl) {
        String key = URI.create(presignedUrl).getPath().substring(1); // erp-files/tenants/...
        return java.nio.file.Path.of("target", "e2e-stack", "s3", "objects").toAbsolutePath().resolve(key);
    }

    private static List<String> fieldsOf(Api.Reply problem) {
        List<String> fields = new ArrayList<>();
        problem.json().get("errors").forEach(e -> fields.add(e.get("field").asString()));
        return fields;
    }

    /** Deterministic pseudo-random content, generated as it is read: the same seed gives the same bytes. */
    static final class Content {

        static byte[] bytes(int size, long seed) {
            try (InputStream in = stream(size, seed)) {
                return in.readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static InputStream stream(long size, long seed) {
            SplittableRandom random = new SplittableRandom(seed);
            return new InputStream() {
                private final byte[] block = new byte[64 * 1024];
                private int position = block.length;
                private long remaining = size;

                @Override
                public int read() {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] buffer, int offset, int length) {
                    if (remaining == 0) {
                        return -1;
                    }
                    if (position == block.length) {
                        random.nextBytes(block);
                        position = 0;
                    }
                    int n = (int) Math.min(Math.min(length, block.length - position), remaining);
                    System.arraycopy(block, position, buffer, offset, n);
                    position += n;
                    remaining -= n;
                    return n;
                }
            };
        }

        static String sha256(byte[] content) {
            return sha256(new ByteArrayInputStream(content));
        }

        static String sha256(InputStream in) {
            try (in) {
                MessageDigest digest = MessageDigest.getInstance("SHA-256");
                byte[] buffer = new byte[64 * 1024];
                for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                    digest.update(buffer, 0, n);
                }
                return HexFormat.of().formatHex(digest.digest());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A multipart/form-data body streamed from its parts: a metadata JSON part, then the file. */
    static final class Multipart {

        static Api.Reply post(Api api, String token, Map<String, Object> metadata,
                java.util.function.Supplier<InputStream> file) {
            String boundary = "erp-e2e-" + UUID.randomUUID();
            byte[] head = ("--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"metadata\"\r\n"
                    + "Content-Type: application/json\r\n\r\n"
                    + Api.JSON.writeValueAsString(metadata) + "\r\n"
                    + "--" + boundary + "\r\n"
                    + "Content-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"\r\n"
                    + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.UTF_8);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
            return api.postStream("/v1/files", token, "multipart/form-data; boundary=" + boundary,
                    HttpRequest.BodyPublishers.ofInputStream(() -> new SequenceInputStream(new ByteArrayInputStream(head),
                            new SequenceInputStream(file.get(), new ByteArrayInputStream(tail)))));
        }
    }
}
