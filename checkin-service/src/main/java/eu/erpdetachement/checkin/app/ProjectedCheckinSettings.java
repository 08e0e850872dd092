package eu.erpdetachement.checkin.app;

import java.time.Duration;
import java.util.UUID;

import eu.erpdetachement.checkin.domain.OccurrenceWindowPolicy;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import reactor.core.publisher.Mono;

/** The backdating window a tenant announced in its settings, or the default. */
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
}
