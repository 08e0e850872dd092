package eu.erpdetachement.platform.settings;

import java.time.Duration;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import eu.erpdetachement.platform.kafka.ProjectionConsumer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads erp.identity.tenant-settings.v1 into the {@link TenantSettingsView} (versions only go up). */
public class TenantSettingsConsumer extends ProjectionConsumer {

    public static final String TOPIC = "erp.identity.tenant-settings.v1";

    private final TenantSettingsView view;
    private final JsonMapper json;

    public TenantSettingsConsumer(TenantSettingsView view, JsonMapper json, String bootstrapServers, String groupId) {
        super(TOPIC, "tenant-settings-consumer", bootstrapServers, groupId);
        this.view = view;
        this.json = json;
    }

    @Override
    protected void apply(ConsumerRecord<String, String> record) {
        JsonNode event = json.readTree(record.value());
        UUID tenantId = UUID.fromString(event.get("tenant_id").asString());
        view.apply(tenantId, event.get("settings"), event.get("version").asLong()).block(Duration.ofSeconds(30));
    }
}
