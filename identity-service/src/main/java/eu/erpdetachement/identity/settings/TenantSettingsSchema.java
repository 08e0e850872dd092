package eu.erpdetachement.identity.settings;

import java.io.InputStream;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.springframework.stereotype.Component;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import eu.erpdetachement.platform.problem.FieldError;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The known settings keys, from contracts/tenant-settings.schema.json, and their defaults. */
@Component
public class TenantSettingsSchema {

    public static final String RESOURCE = "contracts/tenant-settings.schema.json";

    private final Schema schema;
    private final ObjectNode defaults;

    public TenantSettingsSchema(JsonMapper json) {
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(RESOURCE)) {
            JsonNode document = json.readTree(in);
            this.schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                    .getSchema(SchemaLocation.of(document.get("$id").asString()), document);
            this.defaults = json.createObjectNode();
            document.get("properties").properties().forEach(p -> defaults.set(p.getKey(), p.getValue().get("default")));
        } catch (java.io.IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
    }

    public ObjectNode defaults() {
        return defaults.deepCopy();
    }

    /** Every way the settings break the schema, named by key. */
    public List<FieldError> violations(JsonNode settings) {
        List<FieldError> errors = new ArrayList<>();
        schema.validate(settings).forEach(e -> errors.add(new FieldError(
                "settings" + (e.getInstanceLocation().getNameCount() > 0 ? "." + e.getInstanceLocation().getName(0) : "")
                        + (e.getProperty() != null && e.getInstanceLocation().getNameCount() == 0 ? "." + e.getProperty() : ""),
                e.getMessage())));
        JsonNode zone = settings.get("timezone");
        if (zone != null && zone.isString()) {
            try {
                ZoneId.of(zone.asString());
            } catch (DateTimeException e) {
                errors.add(new FieldError("settings.timezone", "is not a known IANA time zone"));
            }
        }
        return errors;
    }
}
