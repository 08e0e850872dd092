package eu.erpdetachement.outboxrelay.engine;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** DOWN while the engine is not running on the active instance; a standby is UP (it is ready to take over). */
@Component("relay")
public class RelayHealthIndicator implements HealthIndicator {

    private final OutboxRelay relay;

    public RelayHealthIndicator(OutboxRelay relay) {
        this.relay = relay;
    }

    @Override
    public Health health() {
        OutboxRelay.State state = relay.state();
        Health.Builder builder = switch (state) {
            case ACTIVE, STANDBY -> Health.up();
            default -> Health.down();
        };
        builder.withDetail("state", state.name().toLowerCase());
        if (relay.lastError() != null && state != OutboxRelay.State.ACTIVE) {
            builder.withDetail("last_error", relay.lastError());
        }
        return builder.build();
    }
}
