package eu.erpdetachement.checkin.app;

import java.time.Duration;
import java.util.UUID;

import eu.erpdetachement.checkin.domain.OccurrenceWindowPolicy;
import reactor.core.publisher.Mono;

/** The defaults every tenant has until it configures its own. */
public class DefaultCheckinSettings implements TenantCheckinSettings {

    @Override
    public Mono<Duration> backdatingWindow(UUID tenantId) {
        return Mono.just(OccurrenceWindowPolicy.DEFAULT_BACKDATING_WINDOW);
    }
}
