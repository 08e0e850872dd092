package eu.erpdetachement.identity.events;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.platform.outbox.OutboxEvent;

/** Payloads of the events on erp.identity.user.v1 (contracts/events/User*.schema.json), keyed by user id. */
public final class UserEvents {

    /** Routes to topic erp.identity.user.v1. */
    public static final String AGGREGATE_TYPE = "identity.user";

    private UserEvents() {
    }

    public record UserCreated(UUID userId, UUID tenantId, String email, String roleType, boolean isActive, UUID workerId,
            String language, UUID createdBy, Instant createdAt) {
    }

    public record UserUpdated(UUID userId, UUID tenantId, String email, String language, UUID updatedBy, Instant updatedAt) {
    }

    public record UserStatusChanged(UUID userId, UUID tenantId, boolean isActive, UUID changedBy, Instant changedAt) {
    }

    /** {@code workerId}: the user's worker id after the change (a user who becomes a worker gets one). */
    public record UserRoleChanged(UUID userId, UUID tenantId, String oldRoleType, String newRoleType, UUID workerId,
            UUID changedBy, Instant changedAt) {
    }

    public static OutboxEvent created(UserProfile user, UUID by, Instant at) {
        return event(user, "UserCreated", new UserCreated(user.userId(), user.tenantId(), user.email(),
                user.role().wireName(), user.active(), user.workerId(), user.language(), by, at), at);
    }

    public static OutboxEvent updated(UserProfile user, UUID by, Instant at) {
        return event(user, "UserUpdated", new UserUpdated(user.userId(), user.tenantId(), user.email(), user.language(), by, at), at);
    }

    public static OutboxEvent statusChanged(UserProfile user, UUID by, Instant at) {
        return event(user, "UserStatusChanged", new UserStatusChanged(user.userId(), user.tenantId(), user.active(), by, at), at);
    }

    public static OutboxEvent roleChanged(UserProfile before, UserProfile after, UUID by, Instant at) {
        return event(after, "UserRoleChanged", new UserRoleChanged(after.userId(), after.tenantId(),
                before.role().wireName(), after.role().wireName(), after.workerId(), by, at), at);
    }

    private static OutboxEvent event(UserProfile user, String type, Object payload, Instant at) {
        return OutboxEvent.of(AGGREGATE_TYPE, user.userId().toString(), type, user.tenantId(), payload, at);
    }
}
