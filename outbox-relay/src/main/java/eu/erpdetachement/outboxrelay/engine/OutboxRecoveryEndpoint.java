package eu.erpdetachement.outboxrelay.engine;

import java.time.Duration;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.stereotype.Component;

/**
 * The operator's command: {@code POST /actuator/outboxrecovery} (optionally
 * {@code {"olderThanSeconds": 60}}, default the configured recovery bound) publishes every row still
 * in an outbox after that long, at once. Safe to repeat: consumers dedupe on ce_id.
 */
@Component
@Endpoint(id = "outboxrecovery")
public class OutboxRecoveryEndpoint {

    private final OutboxRecovery recovery;
    private final Duration defaultBound;

    public OutboxRecoveryEndpoint(OutboxRecovery recovery, eu.erpdetachement.outboxrelay.config.RelayProperties relay) {
        this.recovery = recovery;
        this.defaultBound = relay.recoveryAfter();
    }

    @WriteOperation
    public Map<String, Object> recover(@Nullable Long olderThanSeconds) {
        Duration bound = olderThanSeconds == null ? defaultBound : Duration.ofSeconds(Math.max(0, olderThanSeconds));
        return Map.of("older_than_seconds", bound.toSeconds(), "published", recovery.recover(bound));
    }
}
