package eu.erpdetachement.checkin.app;

import java.time.Duration;
import java.util.UUID;

import reactor.core.publisher.Mono;

/** What a tenant has configured for check-ins. */
public interface TenantCheckinSettings {

    Mono<Duration> backdatingWindow(UUID tenantId);
}
