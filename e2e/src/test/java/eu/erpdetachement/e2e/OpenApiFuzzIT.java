package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import eu.erpdetachement.e2e.ContractFuzzer.Case;
import eu.erpdetachement.e2e.ContractFuzzer.Field;
import eu.erpdetachement.e2e.ContractFuzzer.Mutation;
import eu.erpdetachement.e2e.ContractFuzzer.Operation;
import eu.erpdetachement.platform.testkit.OpenApiContract;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sends every case of {@link ContractFuzzer} through the gateway — as a tenant admin of its own for
 * protected routes, anonymously for public ones — and holds each answer to three rules:
 * <ol>
 * <li>never a 5xx;</li>
 * <li>every 4xx is an RFC 9457 problem ({@code application/problem+json} whose {@code status} is the
 * HTTP status), and a request the contract refuses (its schema, duplicate keys, broken JSON, wrong
 * content type, no token) is never accepted;</li>
 * <li>a refused write leaves nothing behind: the check per route is in {@link #afterRefusal}.</li>
 * </ol>
 * The seed is printed and can be replayed with {@code -Dfuzz.seed=...} (the README's test command replays the seed pinned in e2e/pom.xml; {@code -Dfuzz.seed=random} draws a new one); the number of cases and every
 * finding go to {@code target/fuzz-report.txt}. The fuzzer acts only on users, files and missions it
 * created itself (or random ids), never on the seeded admins, and signs in with random emails only,
 * so Keycloak's lockout of the shared accounts is never tripped.
 */
@ExtendWith(EmbeddedStack.class)
class OpenApiFuzzIT {

    private static final OpenApiContract CONTRACT = OpenApiContract.load();
    private static final Duration TOKEN_AGE = Duration.ofSeconds(200);
    private static final List<String> IDENTITY_WRITES = List.of("createUser", "updateUser", "patchUserStatus", "patchUserRole",
            "confirmEmailChange", "eraseUser");

    private final Api api = EmbeddedStack.gateway();
    private final String baseUrl = EmbeddedStack.stack().gatewayUrl();
    // HTTP/1.1 as a tenant app sends it (no h2c upgrade attempt on the first request of a connection)
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final ContractFuzzer fuzzer = ContractFuzzer.load();

    /** What the cases act on: created by the fuzzer itself. */
    private Members.Member admin;
    private String adminToken;
    private Instant tokenTakenAt;
    private String targetUserId;
    /** The user the erase cases aim at: erased by the first that passes, then answered the same (idempotent). */
    private String erasedUserId;
    private String workerId;
    private String pendingFileId;
    private String uploadedFileId;
    private String missionId;
    private String checkEventId;
    private List<String> usersBefore;
    /** The links of the chain the correction cases name, counted before each such case. */
    private int correctedChainBefore;

    /** A request before mutation: path values, query, headers and JSON body, each fresh for its case. */
    private record Base(Map<String, String> path, Map<String, String> query, Map<String, String> headers,
            ObjectNode body, boolean mustSucceed) {
    }

    private record Sent(int status, String contentType, String body) {
    }

    @Test
    void no_input_gets_a_5xx_a_non_problem_4xx_or_leaves_a_row() throws IOException {
        long seed = Long.getLong("fuzz.seed", System.nanoTime());
        int randomPerOperation = Integer.getInteger("fuzz.random-per-operation", 20);
        System.out.println("OpenApiFuzzIT seed " + seed + " (replay with -Dfuzz.seed=" + seed + ")");
        SplittableRandom random = new SplittableRandom(seed);
        setUp();

        List<Case> cases = fuzzer.cases(seed, randomPerOperation);
        List<String> failures = new ArrayList<>();
        Map<String, Integer> undocumented = new TreeMap<>();
        Map<String, Integer> statuses = new TreeMap<>();
        Map<String, Integer> perOperation = new TreeMap<>();
        Map<String, Long> millisPerOperation = new TreeMap<>();
        List<String> unanswered = new ArrayList<>();
        int sent = 0;
        int unsendable = 0;
        long started = System.nanoTime();
        for (Case c : cases) {
            Base base = base(c.operation(), random);
            HttpRequest request;
            String pathAndQuery;
            boolean mustRefuse;
            try {
                pathAndQuery = pathAndQuery(c, base);
                byte[] body = body(c, base);
                mustRefuse = mustRefuse(c, base, body);
                request = request(c, base, pathAndQuery, body);
            } catch (IllegalArgumentException e) {
                unsendable++; // e.g. a header value the HTTP client itself refuses to send
                continue;
            }
            if (IDENTITY_WRITES.contains(c.operation().operationId()) && usersBefore == null) {
                usersBefore = users();
            }
            if (c.operation().operationId().equals("correctWorkerCheckEvent")) {
                correctedChainBefore = chainLinks();
            }
            long sentAt = System.nanoTime();
            Sent reply;
            try {
                reply = send(request);
            } catch (IllegalStateException e) {
                // an intermittent 30 s stall of a service, seen about once per run of ~2,900 cases since the
                // issue-15 merge and not yet explained (closing note of stop 12): the case is sent once more and
                // reported; it is a finding when it gets no answer again
                unanswered.add(c.describe() + " → no answer: " + e.getCause());
                try {
                    reply = send(request);
                } catch (IllegalStateException again) {
                    failures.add(c.describe() + " → no answer, twice: " + again.getCause());
                    continue;
                }
            }
            sent++;
            millisPerOperation.merge(c.operation().operationId(), (System.nanoTime() - sentAt) / 1_000_000, Long::sum);
            if (sent % 250 == 0) {
                System.out.println("OpenApiFuzzIT: " + sent + " cases sent, " + failures.size() + " findings, "
                        + Duration.ofNanos(System.nanoTime() - started).toSeconds() + " s");
            }
            perOperation.merge(c.operation().operationId(), 1, Integer::sum);
            statuses.merge(Integer.toString(reply.status()), 1, Integer::sum);
            String what = c.describe() + " → " + reply.status();
            if (reply.status() >= 500) {
                failures.add(what + " (5xx) " + abbreviate(reply.body()));
            } else if (reply.status() >= 400 && !isProblem(reply)) {
                failures.add(what + " (not a problem+json) " + reply.contentType() + " " + abbreviate(reply.body()));
            } else if (reply.status() < 400 && mustRefuse) {
                failures.add(what + " (accepted a request the contract refuses) " + abbreviate(reply.body()));
            } else if (reply.status() >= 400 && c.mutations().isEmpty() && c.bodyAttack() == null
                    && c.contentType() == null && (!c.anonymous() || c.operation().publicRoute()) && base.mustSucceed()) {
                failures.add(what + " (the unmutated base request failed) " + abbreviate(reply.body()));
            }
            if (reply.status() >= 400 && reply.status() < 500) {
                String leftover = afterRefusal(c.operation(), base);
                if (leftover != null) {
                    failures.add(what + " (a refused write left something: " + leftover + ")");
                }
            } else if (reply.status() < 300) {
                usersBefore = null; // something may have changed: take a fresh snapshot before the next refusal check
            }
            try {
                CONTRACT.assertResponse(c.operation().method(), pathFor(c.operation(), base), reply.status(),
                        reply.contentType(), reply.body());
            } catch (AssertionError e) {
                undocumented.merge(c.operation().method() + " " + c.operation().template() + " " + reply.status(), 1, Integer::sum);
            }
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        StringBuilder report = new StringBuilder();
        report.append("OpenApiFuzzIT — contracts/openapi.yaml, ").append(fuzzer.operations().size()).append(" operations\n");
        report.append("seed: ").append(seed).append("  (replay: -Dfuzz.seed=").append(seed).append(")\n");
        report.append("generated cases: ").append(cases.size()).append(", sent: ").append(sent)
                .append(", not sendable by an HTTP client: ").append(unsendable).append(", in ").append(took.toSeconds()).append(" s\n");
        report.append("cases per operation: ").append(perOperation).append('\n');
        report.append("milliseconds of requests per operation: ").append(millisPerOperation).append('\n');
        report.append("statuses: ").append(statuses).append('\n');
        report.append("statuses the contract does not document for the operation (not a failure): ").append(undocumented).append('\n');
        report.append("cases unanswered within 30 s, answered when sent again: ").append(unanswered.size()).append('\n');
        unanswered.forEach(u -> report.append("  ").append(u).append('\n'));
        report.append("failures: ").append(failures.size()).append('\n');
        failures.forEach(f -> report.append("  ").append(f).append('\n'));
        Path file = Path.of("target", "fuzz-report.txt");
        Files.createDirectories(file.getParent());
        Files.writeString(file, report.toString());
        System.out.println(report);

        assertThat(failures).as("fuzz findings (seed " + seed + "), see target/fuzz-report.txt").isEmpty();
    }

    // --- fixtures: what the cases act on ---------------------------------------------------------

    private void setUp() {
        String seeded = EmbeddedStack.ACME_ADMIN.signIn(api);
        admin = Members.invite(api, seeded, "tenant_admin", Members.uniqueEmail("fuzz-admin"));
        token();
        targetUserId = createUser("worker");
        erasedUserId = createUser("worker");
        workerId = createUser("worker"); // a worker's worker_id defaults to its user_id
        Api.Reply pending = api.postJson("/v1/files", token(), fileRegistration("fuzz/" + UUID.randomUUID() + "/pending.pdf"));
        assertThat(pending.status()).as(pending.body()).isEqualTo(201);
        pendingFileId = pending.json().get("file_id").asString();
        byte[] content = "fuzz fixture".getBytes(StandardCharsets.UTF_8);
        Map<String, Object> metadata = fileRegistration("fuzz/" + UUID.randomUUID() + "/uploaded.pdf");
        metadata.put("size_bytes", content.length);
        metadata.put("sha256_hash", FilesIT.Content.sha256(content));
        Api.Reply uploaded = FilesIT.Multipart.post(api, token(), metadata, () -> new java.io.ByteArrayInputStream(content));
        assertThat(uploaded.status()).as(uploaded.body()).isEqualTo(201);
        uploadedFileId = uploaded.json().get("file_id").asString();
        missionId = UUID.randomUUID().toString();
        Api.Reply event = api.postJson("/v1/missions/" + missionId + "/worker-check-events", token(), checkEvent(workerId));
        assertThat(event.status()).as(event.body()).isEqualTo(201);
        checkEventId = event.json().get("check_event_id").asString();
        // every operation of the contract has a base request here: a new route cannot escape the fuzzer
        SplittableRandom probe = new SplittableRandom(0);
        fuzzer.operations().forEach(op -> assertThat(base(op, probe)).as(op.operationId()).isNotNull());
    }

    private String token() {
        if (adminToken == null || Duration.between(tokenTakenAt, Instant.now()).compareTo(TOKEN_AGE) > 0) {
            adminToken = admin.signIn(api);
            tokenTakenAt = Instant.now();
        }
        return adminToken;
    }

    private String createUser(String role) {
        Api.Reply created = Members.create(api, token(), Members.uniqueEmail("fuzz-" + role), role, true, "en");
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("user_id").asString();
    }

    private static Map<String, Object> fileRegistration(String path) {
        return FilesIT.registration(path, "fuzz.pdf", "application/pdf", 1000, "a".repeat(64));
    }

    private static Map<String, Object> checkEvent(String worker) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("worker_id", worker);
        body.put("event_type", "check_in");
        body.put("occurred_at", Instant.now().minusSeconds(60).toString());
        body.put("source", "api");
        body.put("metadata", Map.of("device_id", "fuzz"));
        return body;
    }

    /** Identifiers are unique per run, not drawn from the seed: a replay must not meet the rows of the run it replays. */
    private static String unique() {
        return UUID.randomUUID().toString().substring(0, 18);
    }

    private static String randomEmail(SplittableRandom random) {
        return "fuzz-" + unique() + "@fuzz.test";
    }

    /** The valid request each case starts from; null for an operation the fuzzer does not know (fails the set-up). */
    private Base base(Operation op, SplittableRandom random) {
        Map<String, String> path = new LinkedHashMap<>();
        Map<String, String> query = new LinkedHashMap<>();
        Map<String, String> headers = new LinkedHashMap<>();
        ObjectNode body = Api.JSON.createObjectNode();
        boolean mustSucceed = true;
        switch (op.operationId()) {
            case "login" -> {
                body.put("email", randomEmail(random)); // random accounts only: no lockout of real ones
                body.put("password", "Fuzz-" + unique());
                mustSucceed = false;
            }
            case "logout", "refreshToken" -> {
                body.put("refresh_token", "fuzz-" + unique());
                mustSucceed = false;
            }
            case "requestPasswordReset" -> body.put("email", randomEmail(random));
            case "confirmPasswordReset" -> {
                body.put("token", unique());
                body.put("new_password", "Fuzz-Password-2026!");
                mustSucceed = false;
            }
            case "confirmEmailChange" -> {
                body.put("token", unique()); // never issued: refused, and no email changes
                mustSucceed = false;
            }
            case "getMe", "listUsers", "getTenantSettings", "listAuditEvents", "verifyAuditTrail" -> {
            }
            case "createUser" -> {
                body.put("email", "fuzz-" + unique() + "@acme.test");
                body.put("role_type", "worker");
                body.put("is_active", true);
                body.put("language", "en");
            }
            case "updateUser" -> {
                path.put("user_id", targetUserId);
                body.put("language", "de");
            }
            case "patchUserStatus" -> {
                path.put("user_id", targetUserId);
                body.put("is_active", true);
            }
            case "patchUserRole" -> {
                path.put("user_id", targetUserId);
                body.put("role_type", "worker");
            }
            case "getUserPersonalData" -> path.put("user_id", targetUserId);
            case "eraseUser" -> path.put("user_id", erasedUserId);
            case "patchTenantSettings" -> {
                headers.put("If-Match", api.get("/v1/tenant-settings", token()).header("ETag"));
                body.putObject("settings"); // an empty merge patch: the settings of the shared tenant stay as they are
            }
            case "createFile" -> body.setAll((ObjectNode) Api.JSON.valueToTree(
                    fileRegistration("fuzz/" + unique() + "/a.pdf")));
            case "listLinkedFiles" -> {
                query.put("entity_type", "worker");
                query.put("entity_id", UUID.randomUUID().toString());
            }
            case "getFile" -> path.put("file_id", uploadedFileId);
            case "completeFileUpload" -> {
                path.put("file_id", pendingFileId); // never uploaded: refused, and must stay pending
                mustSucceed = false;
            }
            case "linkFile" -> {
                path.put("file_id", uploadedFileId);
                body.put("entity_type", "worker");
                body.put("entity_id", UUID.randomUUID().toString());
                body.put("purpose", "other");
            }
            case "createWorkerCheckEvent" -> {
                path.put("mission_id", UUID.randomUUID().toString());
                body.setAll((ObjectNode) Api.JSON.valueToTree(checkEvent(workerId)));
            }
            case "correctWorkerCheckEvent" -> {
                // an amendment of the fuzz check-in (the only event of its chain): valid at any past time,
                // though a mutated case may have supplied a check-out it would then have to follow
                path.put("mission_id", missionId);
                path.put("check_event_id", checkEventId);
                body.put("kind", "amend_occurred_at");
                body.put("occurred_at", Instant.now().minusSeconds(90).toString());
                body.put("reason", "fuzz");
                mustSucceed = false;
            }
            case "getWorkerTimesheet" -> {
                java.time.LocalDate today = java.time.LocalDate.now(java.time.ZoneId.of("Europe/Paris"));
                path.put("worker_id", workerId);
                query.put("from", today.minusDays(1).toString());
                query.put("to", today.toString());
            }
            case "listWorkerCheckEvents", "getWorkerCheckEvent", "verifyWorkerCheckChain" -> {
                path.put("mission_id", missionId);
                path.put("check_event_id", checkEventId);
                if (op.operationId().equals("verifyWorkerCheckChain")) {
                    query.put("worker_id", workerId);
                }
            }
            default -> {
                return null;
            }
        }
        return new Base(path, query, headers, body, mustSucceed);
    }

    // --- building the request -----------------------------------------------------------------------

    private static String pathFor(Operation op, Base base) {
        String path = op.template();
        for (Map.Entry<String, String> p : base.path().entrySet()) {
            path = path.replace("{" + p.getKey() + "}", encode(p.getValue()));
        }
        return path;
    }

    private static String pathAndQuery(Case c, Base base) {
        Map<String, String> path = new LinkedHashMap<>(base.path());
        Map<String, String> query = new LinkedHashMap<>(base.query());
        c.mutations().forEach((target, m) -> {
            String name = target.substring(target.indexOf(':') + 1);
            if (target.startsWith("path:")) {
                path.put(name, m.raw());
            } else if (target.startsWith("query:")) {
                if (m.remove()) {
                    query.remove(name);
                } else {
                    query.put(name, m.raw());
                }
            }
        });
        String result = pathFor(c.operation(), new Base(path, query, Map.of(), null, false));
        StringBuilder q = new StringBuilder();
        query.forEach((k, v) -> q.append(q.isEmpty() ? "?" : "&").append(encode(k)).append('=').append(encode(v)));
        return result + q;
    }

    /** Percent-encodes everything but unreserved characters, as UTF-8. */
    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "-._~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) c));
            }
        }
        return out.toString();
    }

    /** The JSON text of the base body with the case's field mutations, or the whole-body attack. */
    private static byte[] body(Case c, Base base) {
        if ("GET".equals(c.operation().method()) || c.operation().bodies().isEmpty()) {
            return new byte[0];
        }
        Map<String, String> fields = new LinkedHashMap<>();
        base.body().properties().forEach(p -> fields.put(p.getKey(), Api.JSON.writeValueAsString(p.getValue())));
        c.mutations().forEach((target, m) -> {
            if (target.startsWith("body:")) {
                String name = target.substring(5);
                if (m.remove()) {
                    fields.remove(name);
                } else {
                    fields.put(name, m.raw());
                }
            }
        });
        String json = object(fields);
        if (c.bodyAttack() == null) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        String first = fields.isEmpty() ? "refresh_token" : fields.keySet().iterator().next();
        String firstValue = fields.getOrDefault(first, "\"x\"");
        return switch (c.bodyAttack()) {
            case "duplicate key, bad value last" -> utf8(json.substring(0, json.length() - 1)
                    + (fields.isEmpty() ? "" : ",") + quote(first) + ":" + firstValue + "}");
            case "duplicate key, bad value first" -> utf8("{" + quote(first) + ":\"dup\"," + json.substring(1));
            case "duplicate of every field" -> {
                StringBuilder s = new StringBuilder("{");
                fields.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append(quote(k)).append(':').append(v)
                        .append(',').append(quote(k)).append(':').append(v));
                yield utf8(s.append('}').toString());
            }
            case "deep nesting 600" -> utf8(ContractFuzzer.deep(600, "[", "]", json));
            case "deep nesting 5000" -> utf8(ContractFuzzer.deep(5000, "{\"a\":", "}", "1"));
            case "top-level array" -> utf8("[" + json + "]");
            case "top-level string" -> utf8("\"" + first + "\"");
            case "top-level number" -> utf8("1");
            case "top-level null" -> utf8("null");
            case "empty body" -> new byte[0];
            case "not JSON" -> utf8("hello");
            case "truncated JSON" -> utf8(json.substring(0, json.length() - 1));
            case "trailing garbage" -> utf8(json + "xyz");
            case "two documents" -> utf8(json + json);
            case "JSON with comment" -> utf8("/* c */" + json);
            case "single quotes" -> utf8(json.replace('"', '\''));
            case "unquoted key" -> utf8("{" + first + ":" + firstValue + "}");
            case "trailing comma" -> utf8(json.substring(0, json.length() - 1) + ",}");
            case "NUL byte raw" -> utf8("{\u0000" + json.substring(1));
            case "invalid UTF-8" -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.writeBytes(utf8("{" + quote(first) + ":\""));
                out.writeBytes(new byte[] {(byte) 0xc3, (byte) 0x28, (byte) 0xff, (byte) 0xfe});
                out.writeBytes(utf8("\"}"));
                yield out.toByteArray();
            }
            case "UTF-16 body" -> json.getBytes(StandardCharsets.UTF_16BE);
            case "unknown field with NUL name" -> utf8(json.substring(0, json.length() - 1)
                    + (fields.isEmpty() ? "" : ",") + "\"\\u0000\":1}");
            default -> throw new IllegalStateException(c.bodyAttack());
        };
    }

    private static String object(Map<String, String> fields) {
        StringBuilder s = new StringBuilder("{");
        fields.forEach((k, v) -> s.append(s.length() > 1 ? "," : "").append(quote(k)).append(':').append(v));
        return s.append('}').toString();
    }

    private static String quote(String name) {
        return Api.JSON.writeValueAsString(name);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Must the server refuse this case? Yes when the contract itself refuses what was sent. */
    private boolean mustRefuse(Case c, Base base, byte[] body) {
        Operation op = c.operation();
        if (c.anonymous() && !op.publicRoute()) {
            return true;
        }
        boolean hasBody = !"GET".equals(op.method()) && !op.bodies().isEmpty();
        if (c.contentType() != null) {
            return hasBody && List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
                    "multipart/form-data", "application/octet-stream", "NONE", "x/y; a=\"b").contains(c.contentType());
        }
        if (c.bodyAttack() != null) {
            return !"UTF-16 body".equals(c.bodyAttack());
        }
        for (Map.Entry<String, Mutation> e : c.mutations().entrySet()) {
            String in = e.getKey().substring(0, e.getKey().indexOf(':'));
            String name = e.getKey().substring(e.getKey().indexOf(':') + 1);
            if ("body".equals(in)) {
                continue;
            }
            Field field = op.parameters().stream().filter(p -> p.in().equals(in) && p.name().equals(name)).findFirst().orElseThrow();
            Mutation m = e.getValue();
            if (m.remove() ? field.required() : !fuzzer.accepts(field.schema(), ContractFuzzer.typed(field.schema(), m.raw()))) {
                return true;
            }
        }
        if (hasBody) {
            JsonNode instance;
            try {
                instance = strictParse(body);
            } catch (RuntimeException e) {
                return true;
            }
            return !fuzzer.accepts(op.jsonBody(), instance);
        }
        return false;
    }

    /** JSON as RFC 8259 has it for interchange: one document, no duplicate names. */
    private static JsonNode strictParse(byte[] body) {
        return tools.jackson.databind.json.JsonMapper.builder()
                .enable(tools.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(tools.jackson.databind.DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build().readTree(body);
    }

    private HttpRequest request(Case c, Base base, String pathAndQuery, byte[] body) {
        CreatedEmails.in(pathAndQuery);
        if (body != null) {
            CreatedEmails.in(new String(body, java.nio.charset.StandardCharsets.UTF_8));
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + pathAndQuery)).timeout(Duration.ofSeconds(15));
        if (!c.anonymous()) {
            request.header("Authorization", "Bearer " + token());
        }
        Map<String, String> headers = new LinkedHashMap<>(base.headers());
        c.mutations().forEach((target, m) -> {
            if (target.startsWith("header:")) {
                String name = target.substring(7);
                if (m.remove()) {
                    headers.remove(name);
                } else {
                    headers.put(name, m.raw());
                }
            }
        });
        headers.forEach(request::header);
        String contentType = c.contentType() != null ? c.contentType()
                : "UTF-16 body".equals(c.bodyAttack()) ? "application/json; charset=UTF-16BE" : "application/json";
        if ("GET".equals(c.operation().method())) {
            return request.GET().build();
        }
        if (!"NONE".equals(contentType) && (body.length > 0 || c.contentType() != null)) {
            request.header("Content-Type", contentType);
        }
        return request.method(c.operation().method(), HttpRequest.BodyPublishers.ofByteArray(body)).build();
    }

    private Sent send(HttpRequest request) {
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Sent(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null), response.body());
        } catch (IOException e) {
            throw new IllegalStateException("Request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static boolean isProblem(Sent reply) {
        if (reply.contentType() == null || !reply.contentType().startsWith("application/problem+json")) {
            return false;
        }
        try {
            return Api.JSON.readTree(reply.body()).path("status").asInt() == reply.status();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static String abbreviate(String body) {
        return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }

    // --- nothing written ----------------------------------------------------------------------------

    /**
     * After a refused write: null when nothing was written, else what was. Per route:
     * users — the tenant's whole user listing (every field of every user) is as before the request;
     * tenant settings — the ETag and the settings are unchanged (the base patch is empty);
     * file registration — the base request's object key is still free (the same registration, sent
     * unmutated, is accepted; a row left behind would hold the key: 409);
     * :complete — the pending file is still pending; :link — the entity the link named has no file;
     * check events — the mission the event named has no event; corrections — the chain they name has
     * no more links than before.
     * an email change confirmed with a token never issued — the user listing is unchanged.
     * Sessions and password resets (random accounts and tokens) write no row of the services.
     */
    private String afterRefusal(Operation op, Base base) {
        return switch (op.operationId()) {
            case "createUser", "updateUser", "patchUserStatus", "patchUserRole", "confirmEmailChange", "eraseUser" -> {
                List<String> before = usersBefore;
                List<String> now = users();
                usersBefore = now;
                yield before.equals(now) ? null : "the user listing changed";
            }
            case "patchTenantSettings" -> {
                Api.Reply settings = api.get("/v1/tenant-settings", token());
                yield settings.header("ETag").equals(base.headers().get("If-Match")) ? null : "the settings' ETag changed";
            }
            case "createFile" -> {
                Api.Reply again = api.postJson("/v1/files", token(), base.body());
                yield again.status() == 201 ? null : "the object key is taken: " + again.status() + " " + again.body();
            }
            case "completeFileUpload" -> {
                Api.Reply file = api.get("/v1/files/" + pendingFileId, token());
                yield "pending_upload".equals(file.json().path("status").asString()) ? null : "the file is " + file.body();
            }
            case "linkFile" -> {
                Api.Reply links = api.get("/v1/files?entity_type=worker&entity_id=" + base.body().get("entity_id").asString(), token());
                yield links.json().get("items").isEmpty() ? null : "a link exists: " + links.body();
            }
            case "createWorkerCheckEvent" -> {
                Api.Reply events = api.get("/v1/missions/" + base.path().get("mission_id") + "/worker-check-events", token());
                yield events.json().get("items").isEmpty() ? null : "an event exists: " + events.body();
            }
            case "correctWorkerCheckEvent" -> {
                int links = chainLinks();
                yield links == correctedChainBefore ? null : "the chain has " + links + " links, not " + correctedChainBefore;
            }
            default -> null;
        };
    }

    /**
     * One page of the check listing. A listing once took over 30 s on a fresh CI stack (cause not found yet,
     * noted in the closing note of stop 10): it is asked again once rather than failing the fuzz run on a
     * read that is only its witness.
     */
    private Api.Reply listUsersPage(String cursor) {
        String path = "/v1/users?limit=200" + (cursor == null ? "" : "&cursor=" + cursor);
        try {
            return api.get(path, token());
        } catch (IllegalStateException timedOut) {
            System.out.println("OpenApiFuzzIT: the user listing did not answer in time, asking again: " + timedOut.getCause());
            return api.get(path, token());
        }
    }

    /** Every user of the tenant, every field, in listing order. */
    private int chainLinks() {
        return api.get("/v1/missions/" + missionId + "/worker-check-events:verify?worker_id=" + workerId, token())
                .json().get("checked").asInt();
    }

    private List<String> users() {
        List<String> all = new ArrayList<>();
        String cursor = null;
        do {
            Api.Reply page = listUsersPage(cursor);
            page.json().get("items").forEach(item -> all.add(item.toString()));
            JsonNode next = page.json().get("next_cursor");
            cursor = next == null || next.isNull() ? null : next.asString();
        } while (cursor != null);
        return all;
    }
}
