package eu.erpdetachement.platform.revocation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import eu.erpdetachement.platform.security.Role;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/**
 * Applies the events of erp.identity.user.v1 (contracts/events/User*.schema.json) to the caller
 * state tables. Each event carries the user's whole access (role, status, worker id) as of its
 * time, so the latest one wins whatever the order of delivery; events that lack it (older
 * producers) change only the field they are about.
 */
public class UserEventsProjection {

    private final CallerStateStore store;

    public UserEventsProjection(CallerStateStore store) {
        this.store = store;
    }

    public Mono<Void> apply(String type, JsonNode event) {
        if (type == null) {
            return Mono.empty();
        }
        UUID userId = UUID.fromString(event.get("user_id").asString());
        UUID tenantId = UUID.fromString(event.get("tenant_id").asString());
        return switch (type) {
            case "UserCreated" -> access(event, userId, tenantId, event.get("role_type"), instant(event, "created_at"));
            case "UserUpdated" -> event.has("role_type") && event.has("is_active")
                    ? access(event, userId, tenantId, event.get("role_type"), instant(event, "updated_at"))
                    : Mono.empty();
            case "UserRoleChanged" -> event.has("is_active")
                    ? access(event, userId, tenantId, event.get("new_role_type"), instant(event, "changed_at"))
                    : store.applyRole(userId, role(event.get("new_role_type")), instant(event, "changed_at"));
            case "UserStatusChanged" -> event.has("role_type")
                    ? access(event, userId, tenantId, event.get("role_type"), instant(event, "changed_at"))
                    : store.applyStatus(userId, event.get("is_active").asBoolean(), instant(event, "changed_at"));
            // an erased user is never active again; the event carries their whole access like the others
            case "UserErased" -> access(event, userId, tenantId, event.get("role_type"), instant(event, "erased_at"));
            case "UserSessionsEnded" -> {
                List<String> sessions = new ArrayList<>();
                event.path("session_ids").forEach(sid -> sessions.add(sid.asString()));
                JsonNode validAfter = event.get("sessions_valid_after");
                yield store.endSessions(userId, tenantId, sessions,
                        validAfter == null || validAfter.isNull() ? null : Instant.parse(validAfter.asString()),
                        instant(event, "ended_at"));
            }
            default -> Mono.empty();
        };
    }

    private Mono<Void> access(JsonNode event, UUID userId, UUID tenantId, JsonNode role, Instant asOf) {
        JsonNode worker = event.get("worker_id");
        return store.applyAccess(userId, tenantId, role(role), event.get("is_active").asBoolean(),
                worker == null || worker.isNull() ? null : UUID.fromString(worker.asString()), asOf);
    }

    private static Role role(JsonNode wire) {
        return Role.fromWire(wire.asString()).orElseThrow(() -> new IllegalArgumentException("Unknown role " + wire));
    }

    private static Instant instant(JsonNode event, String field) {
        return Instant.parse(event.get(field).asString());
    }
}
