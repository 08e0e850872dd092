package eu.erpdetachement.identity.events;

import java.time.Instant;
import java.util.List;
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

    /** {@code role_type}, {@code is_active}, {@code worker_id}: the whole access, so consumers keep it from any event. */
    public record UserUpdated(UUID userId, UUID tenantId, String email, String language, UUID updatedBy, Instant updatedAt,
            String roleType, boolean isActive, UUID workerId) {
    }

    public record UserStatusChanged(UUID userId, UUID tenantId, boolean isActive, UUID changedBy, Instant changedAt,
            String roleType, UUID workerId) {
    }

    public record UserRoleChanged(UUID userId, UUID tenantId, String oldRoleType, String newRoleType, UUID changedBy,
            Instant changedAt, boolean isActive, UUID workerId) {
    }

    /** Why sessions ended. */
    public enum SessionsEndedReason {
        LOGOUT, PASSWORD_RESET, DEACTIVATED, ERASED;

        String wireName() {
            return name().toLowerCase();
        }
    }

    public record UserSessionsEnded(UUID userId, UUID tenantId, List<String> sessionIds, Instant sessionsValidAfter,
            String reason, Instant endedAt) {
    }

    /** No personal data: the ids stay as pseudonyms (contracts/events/UserErased.schema.json). */
    public record UserErased(UUID userId, UUID tenantId, UUID erasedBy, Instant erasedAt, String roleType, boolean isActive,
            UUID workerId) {
    }

    public static OutboxEvent erased(UserProfile user, UUID by, Instant at) {
        return event(user, "UserErased", new UserErased(user.userId(), user.tenantId(), by, at, user.role().wireName(), false,
                user.workerId()), at);
    }

    public static OutboxEvent created(UserProfile user, UUID by, Instant at) {
        return event(user, "UserCreated", new UserCreated(user.userId(), user.tenantId(), user.email(),
                user.role().wireName(), user.active(), user.workerId(), user.language(), by, at), at);
    }

    public static OutboxEvent updated(UserProfile user, UUID by, Instant at) {
        return event(user, "UserUpdated", new UserUpdated(user.userId(), user.tenantId(), user.email(), user.language(), by, at,
                user.role().wireName(), user.active(), user.workerId()), at);
    }

    public static OutboxEvent statusChanged(UserProfile user, UUID by, Instant at) {
        return event(user, "UserStatusChanged", new UserStatusChanged(user.userId(), user.tenantId(), user.active(), by, at,
                user.role().wireName(), user.workerId()), at);
    }

    public static OutboxEvent roleChanged(UserProfile before, UserProfile after, UUID by, Instant at) {
        return event(after, "UserRoleChanged", new UserRoleChanged(after.userId(), after.tenantId(),
                before.role().wireName(), after.role().wireName(), by, at, after.active(), after.workerId()), at);
    }

    /** @param validAfter null when only the listed sessions end (a sign-out) */
    public static OutboxEvent sessionsEnded(UUID userId, UUID tenantId, List<String> sessionIds, Instant validAfter,
            SessionsEndedReason reason, Instant at) {
        return OutboxEvent.of(AGGREGATE_TYPE, userId.toString(), "UserSessionsEnded", tenantId,
                new UserSessionsEnded(userId, tenantId, List.copyOf(sessionIds), validAfter, reason.wireName(), at), at);
    }

    private static OutboxEvent event(UserProfile user, String type, Object payload, Instant at) {
        return OutboxEvent.of(AGGREGATE_TYPE, user.userId().toString(), type, user.tenantId(), payload, at);
    }
}
