package eu.erpdetachement.platform.erasure;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** What a service needs of a UserErased event (contracts/events/UserErased.schema.json). */
public record UserErased(UUID userId, UUID tenantId, UUID workerId, Instant erasedAt) {

    /** Throws when a required field is missing or malformed: such a record is dead-lettered. */
    public static UserErased of(JsonNode event) {
        JsonNode worker = event.get("worker_id");
        return new UserErased(UUID.fromString(event.get("user_id").asString()), UUID.fromString(event.get("tenant_id").asString()),
                worker == null || worker.isNull() ? null : UUID.fromString(worker.asString()),
                Instant.parse(event.get("erased_at").asString()));
    }
}
