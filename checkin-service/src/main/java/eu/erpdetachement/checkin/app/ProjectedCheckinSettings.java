package eu.erpdetachement.checkin.app;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.UUID;

import eu.erpdetachement.checkin.domain.OccurrenceWindowPolicy;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import reactor.core.publisher.Mono;

/** The backdating window and time zone a tenant announced in its settings, or the defaults. */
public class ProjectedCheckinSettings implements TenantCheckinSettings {

    private final TenantSettingsView view;

    public ProjectedCheckinSettings(TenantSettingsView view) {
        this.view = view;
    }

    @Override
    public Mono<Duration> backdatingWindow(UUID tenantId) {
        return view.settings(tenantId)
                .filter(settings -> settings.hasNonNull("checkin_backdating_window_hours"))
                .map(settings -> Duration.ofHours(settings.get("checkin_backdating_window_hours").asLong()))
                .defaultIfEmpty(OccurrenceWindowPolicy.DEFAULT_BACKDATING_WINDOW);
    }

    @Override
    public Mono<ZoneId> zone(UUID tenantId) {
        return view.settings(tenantId)
                .filter(settings -> settings.hasNonNull("timezone"))
                .flatMap(settings -> {
                    try {
                        return Mono.just(ZoneId.of(settings.get("timezone").asString()));
                    } catch (DateTimeException e) {
                        // identity accepts known IANA zones only; one this JDK lacks falls back rather than failing reads
                        return Mono.empty();
                    }
                })
                .defaultIfEmpty(DEFAULT_ZONE);
    }
}
