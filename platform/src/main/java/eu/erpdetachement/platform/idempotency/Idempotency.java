package eu.erpdetachement.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.springframework.r2dbc.core.DatabaseClient;

import eu.erpdetachement.platform.problem.FieldError;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import reactor.core.publisher.Mono;

/**
 * {@code Idempotency-Key} for creates. Run {@link #once} inside the transaction that does the work:
 * the key row is inserted first, so a concurrent retry with the same key waits on it and then
 * replays the stored answer; if the work fails, the key goes with the rollback. The same key with
 * another body is a 422.
 * <p>
 * A key belongs to its caller: it is scoped by tenant, caller (user id) and operation, so another
 * caller sending the same key and body does its own request and never sees someone else's answer.
 * Keys are kept for a retention period, then purged ({@link IdempotencyPurge}).
 */
public class Idempotency {

    public static final String HEADER = "Idempotency-Key";
    private static final Pattern SANE_KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private final DatabaseClient db;

    public Idempotency(DatabaseClient db) {
        this.db = db;
    }

    public Mono<StoredResponse> once(UUID tenantId, UUID callerId, String operation, Optional<String> key, String requestBody,
            Supplier<Mono<StoredResponse>> work) {
        if (key.isEmpty()) {
            return work.get();
        }
        if (!SANE_KEY.matcher(key.get()).matches()) {
            return Mono.error(invalidKey());
        }
        Scope scope = new Scope(tenantId, callerId, operation, key.get());
        String requestHash = requestHash(operation, requestBody);
        var insert = db.sql(INSERT_KEY).bind("hash", requestHash);
        for (var parameter : scope.parameters().entrySet()) {
            insert = insert.bind(parameter.getKey(), parameter.getValue());
        }
        return insert.fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 1
                        ? work.get().flatMap(response -> remember(scope, response))
                        : replay(scope, requestHash));
    }

    static final String INSERT_KEY = """
            INSERT INTO idempotency_keys (tenant_id, caller_id, operation, idempotency_key, request_hash)
            VALUES (:tenant, :caller, :operation, :key, :hash) ON CONFLICT DO NOTHING""";
    static final String REMEMBER = """
            UPDATE idempotency_keys SET response_status = :status, response_location = :location, response_body = :body
            WHERE tenant_id = :tenant AND caller_id = :caller AND operation = :operation AND idempotency_key = :key""";
    static final String REPLAY = """
            SELECT request_hash, response_status, response_location, response_body FROM idempotency_keys
            WHERE tenant_id = :tenant AND caller_id = :caller AND operation = :operation AND idempotency_key = :key""";

    static boolean isSane(String key) {
        return SANE_KEY.matcher(key).matches();
    }

    static ProblemException invalidKey() {
        return ProblemException.validation(HEADER, "1 to 255 visible ASCII characters");
    }

    static String requestHash(String operation, String requestBody) {
        return sha256(operation + "\n" + requestBody);
    }

    /** Whose key it is: the primary key of a row. */
    record Scope(UUID tenantId, UUID callerId, String operation, String key) {

        Map<String, Object> parameters() {
            return Map.of("tenant", tenantId, "caller", callerId, "operation", operation, "key", key);
        }
    }

    private Mono<StoredResponse> remember(Scope scope, StoredResponse response) {
        var spec = db.sql(REMEMBER).bind("status", response.status()).bind("body", response.body());
        for (var parameter : scope.parameters().entrySet()) {
            spec = spec.bind(parameter.getKey(), parameter.getValue());
        }
        spec = response.location() == null ? spec.bindNull("location", String.class) : spec.bind("location", response.location());
        return spec.then().thenReturn(response);
    }

    private Mono<StoredResponse> replay(Scope scope, String requestHash) {
        var spec = db.sql(REPLAY);
        for (var parameter : scope.parameters().entrySet()) {
            spec = spec.bind(parameter.getKey(), parameter.getValue());
        }
        return spec.map(row -> stored(requestHash, row.get("request_hash", String.class), row.get("response_status", Integer.class),
                        row.get("response_location", String.class), row.get("response_body", String.class)))
                .one();
    }

    /** The answer a retry gets: the first one, if the key came with the same request. */
    static StoredResponse stored(String requestHash, String storedHash, Integer status, String location, String body) {
        if (!requestHash.equals(storedHash)) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "This Idempotency-Key was used with a different request.",
                    List.of(new FieldError(HEADER, "reused with another body")), Map.of());
        }
        if (status == null) {
            throw new IllegalStateException("Idempotency key committed without its response");
        }
        return new StoredResponse(status, location, body, true);
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
