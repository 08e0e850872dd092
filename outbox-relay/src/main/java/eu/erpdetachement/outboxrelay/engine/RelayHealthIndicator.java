package eu.erpdetachement.outboxrelay.engine;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * DOWN while the engine is not running on the active instance; a standby is UP (it is ready to take
 * over). The details say how far behind the outboxes are, as every instance measures it.
 */
@Component("relay")
public class RelayHealthIndicator implements HealthIndicator {

    private final OutboxRelay relay;
    private final OutboxMonitor monitor;
    private final java.util.List<String> tables;

    public RelayHealthIndicator(OutboxRelay relay, OutboxMonitor monitor,
            eu.erpdetachement.outboxrelay.config.RelayProperties properties) {
        this.relay = relay;
        this.monitor = monitor;
        this.tables = properties.outboxTables();
    }

    @Override
    public Health health() {
        OutboxRelay.State state = relay.state();
        Health.Builder builder = switch (state) {
            case ACTIVE, STANDBY -> Health.up();
            default -> Health.down();
        };
        builder.withDetail("state", state.name().toLowerCase());
        builder.withDetail("slot_retained_wal_bytes", monitor.retainedWalBytes());
        java.util.Map<String, Long> oldest = new java.util.TreeMap<>();
        tables.forEach(table -> oldest.put(table, monitor.oldestAgeSeconds(table)));
        builder.withDetail("oldest_unpublished_age_seconds", oldest);
        if (relay.lastError() != null && state != OutboxRelay.State.ACTIVE) {
            builder.withDetail("last_error", relay.lastError());
        }
        return builder.build();
    }
}
