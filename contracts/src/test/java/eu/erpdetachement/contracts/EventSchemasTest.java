package eu.erpdetachement.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;

/** Every event payload has a valid JSON Schema with examples that pass it, and AsyncAPI points at them. */
class EventSchemasTest {

    private static final List<String> SEED_EVENTS = List.of("UserCreated", "UserRoleChanged", "TenantSettingsUpdated",
            "FileUploaded", "WorkerCheckEventRecorded");
    private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);

    @ParameterizedTest
    @ValueSource(strings = {"UserCreated", "UserUpdated", "UserStatusChanged", "UserRoleChanged", "UserSessionsEnded",
            "UserErased", "TenantSettingsUpdated", "FileUploaded", "WorkerCheckEventRecorded", "WorkerCheckEventCorrected",
            "AuditRecorded"})
    void schema_is_valid_2020_12_and_its_examples_pass(String event) {
        JsonNode schemaNode = Contracts.json("events/" + event + ".schema.json");
        Schema metaSchema = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertThat(metaSchema.validate(schemaNode)).as(event + " against the meta-schema").isEmpty();
        assertThat(schemaNode.get("additionalProperties").asBoolean(true)).as(event + " is closed").isFalse();
        Schema schema = registry.getSchema(SchemaLocation.of(schemaNode.get("$id").asString()), schemaNode);
        assertThat(schemaNode.get("examples").size()).isPositive();
        for (JsonNode example : schemaNode.get("examples")) {
            assertThat(schema.validate(example)).as(event + " example").isEmpty();
        }
        JsonNode broken = schemaNode.get("examples").get(0).deepCopy();
        ((tools.jackson.databind.node.ObjectNode) broken).put("unexpected", true);
        assertThat(schema.validate(broken)).as(event + " refuses unknown fields").isNotEmpty();
    }

    @Test
    void asyncapi_publishes_every_seed_event_with_an_existing_schema() {
        JsonNode asyncapi = Contracts.yaml("asyncapi.yaml");
        JsonNode messages = asyncapi.get("components").get("messages");
        for (String event : SEED_EVENTS) {
            assertThat(messages.has(event)).as(event).isTrue();
        }
        for (String name : messages.propertyNames()) {
            String ref = messages.get(name).get("payload").get("$ref").asString();
            assertThat(Contracts.class.getClassLoader().getResource("contracts/" + ref)).as(ref).isNotNull();
        }
    }
}
