package eu.erpdetachement.platform.idempotency;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link Idempotency} for units of work on JDBC (decision 0044): the same keys, rows and answers.
 * Run {@link #once} inside the transaction that does the work, on its thread.
 */
public class JdbcIdempotency {

    private final JdbcClient jdbc;

    public JdbcIdempotency(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public StoredResponse once(UUID tenantId, UUID callerId, String operation, Optional<String> key, String requestBody,
            Supplier<StoredResponse> work) {
        if (key.isEmpty()) {
            return work.get();
        }
        if (!Idempotency.isSane(key.get())) {
            throw Idempotency.invalidKey();
        }
        Idempotency.Scope scope = new Idempotency.Scope(tenantId, callerId, operation, key.get());
        String requestHash = Idempotency.requestHash(operation, requestBody);
        // twice at most: a key row that conflicted and was gone when read was purged in between (its
        // retention ended), and the key is new again
        for (int attempt = 0; ; attempt++) {
            int inserted = jdbc.sql(Idempotency.INSERT_KEY).params(scope.parameters()).param("hash", requestHash).update();
            if (inserted == 1) {
                break;
            }
            // a concurrent first request with the key held its row until it committed: its answer is there now
            Optional<StoredResponse> stored = jdbc.sql(Idempotency.REPLAY).params(scope.parameters())
                    .query((row, i) -> Idempotency.stored(requestHash, row.getString("request_hash"),
                            row.getObject("response_status", Integer.class), row.getString("response_location"),
                            row.getString("response_body")))
                    .optional();
            if (stored.isPresent() || attempt == 1) {
                return stored.orElseThrow(() -> new IllegalStateException("Idempotency key neither insertable nor readable"));
            }
        }
        StoredResponse response = work.get();
        Map<String, Object> parameters = new HashMap<>(scope.parameters());
        parameters.put("status", response.status());
        parameters.put("location", response.location());
        parameters.put("body", response.body());
        jdbc.sql(Idempotency.REMEMBER).params(parameters).update();
        return response;
    }
}
