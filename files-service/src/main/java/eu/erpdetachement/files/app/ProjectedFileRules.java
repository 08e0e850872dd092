package eu.erpdetachement.files.app;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;

import eu.erpdetachement.files.domain.TenantFileRules;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** A tenant's file rules from its announced settings; the defaults for keys it never set. */
public class ProjectedFileRules implements TenantFileRulesSource {

    private final TenantSettingsView view;
    private final String defaultBucket;

    public ProjectedFileRules(TenantSettingsView view, String defaultBucket) {
        this.view = view;
        this.defaultBucket = defaultBucket;
    }

    @Override
    public Mono<TenantFileRules> of(UUID tenantId) {
        return view.settings(tenantId).map(this::rules).defaultIfEmpty(TenantFileRules.defaults(defaultBucket));
    }

    TenantFileRules rules(JsonNode settings) {
        String bucket = settings.hasNonNull("files_bucket") ? settings.get("files_bucket").asString() : defaultBucket;
        long maxSize = settings.hasNonNull("file_max_size_bytes") ? settings.get("file_max_size_bytes").asLong()
                : TenantFileRules.DEFAULT_MAX_SIZE_BYTES;
        Set<String> mimeTypes = TenantFileRules.DEFAULT_MIME_TYPES;
        if (settings.hasNonNull("file_allowed_mime_types")) {
            Set<String> configured = new LinkedHashSet<>();
            settings.get("file_allowed_mime_types").forEach(m -> configured.add(m.asString()));
            mimeTypes = Set.copyOf(configured);
        }
        return new TenantFileRules(bucket, maxSize, mimeTypes);
    }
}
