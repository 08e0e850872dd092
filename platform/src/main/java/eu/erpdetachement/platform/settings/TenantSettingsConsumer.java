package eu.erpdetachement.platform.settings;

import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import eu.erpdetachement.platform.kafka.RecordProjection;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads erp.identity.tenant-settings.v1 into the {@link TenantSettingsView} (versions only go up). */
public class TenantSettingsConsumer implements RecordProjection {

    public static final String TOPIC = "erp.identity.tenant-settings.v1";

    private final TenantSettingsView view;
    private final JsonMapper json;

    public TenantSettingsConsumer(TenantSettingsView view, JsonMapper json) {
        this.view = view;
        this.json = json;
    }

    @Override
    public String topic() {
        return TOPIC;
    }

    /** A TenantSettingsUpdated: tenant_id a UUID, settings an object, version a whole number. */
    @Override
    public Mono<Boolean> change(ConsumerRecord<String, byte[]> record) {
        JsonNode event = json.readTree(record.value());
        JsonNode settings = event.path("settings");
        JsonNode version = event.path("version");
        if (!settings.isObject() || !version.isIntegralNumber()) {
            throw new IllegalArgumentException("Not a TenantSettingsUpdated: settings must be an object and version a whole number");
        }
        UUID tenantId = UUID.fromString(event.path("tenant_id").asString());
        return view.apply(tenantId, settings, version.asLong());
    }
}
