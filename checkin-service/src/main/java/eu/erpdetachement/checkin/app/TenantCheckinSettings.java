package eu.erpdetachement.checkin.app;

import java.time.Duration;
import java.time.ZoneId;
import java.util.UUID;

import reactor.core.publisher.Mono;

/** What a tenant has configured for check-ins and time-sheets. */
public interface TenantCheckinSettings {

    /** Where the tenant's time-sheets draw their days; identity's settings default it to Europe/Paris. */
    ZoneId DEFAULT_ZONE = ZoneId.of("Europe/Paris");

    Mono<Duration> backdatingWindow(UUID tenantId);

    Mono<ZoneId> zone(UUID tenantId);
}
