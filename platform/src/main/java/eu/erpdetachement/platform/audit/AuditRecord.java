package eu.erpdetachement.platform.audit;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * What one state-changing action did, as the audit trail keeps it: who ({@code actorId}, null for an
 * anonymous caller or the system), what ({@code action}, e.g. {@code user.role_changed}), to what
 * ({@code targetType}, {@code targetId}) and the changed fields before and after. Secrets (passwords,
 * tokens) are never put in {@code changes}.
 */
public record AuditRecord(UUID tenantId, UUID actorId, String action, String targetType, String targetId,
        Map<String, FieldChange> changes) {

    /** A field's value before and after the action (null where it had none). */
    public record FieldChange(Object before, Object after) {
    }

    public AuditRecord {
        Objects.requireNonNull(tenantId, "tenantId");
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(targetType, "targetType");
        Objects.requireNonNull(targetId, "targetId");
        changes = Collections.unmodifiableMap(new LinkedHashMap<>(changes));
    }

    public static Builder of(UUID tenantId, UUID actorId, String action, String targetType, Object targetId) {
        return new Builder(tenantId, actorId, action, targetType, String.valueOf(targetId));
    }

    /** Collects the changed fields; a field whose value did not change is left out. */
    public static final class Builder {

        private final UUID tenantId;
        private final UUID actorId;
        private final String action;
        private final String targetType;
        private final String targetId;
        private final Map<String, FieldChange> changes = new LinkedHashMap<>();

        private Builder(UUID tenantId, UUID actorId, String action, String targetType, String targetId) {
            this.tenantId = tenantId;
            this.actorId = actorId;
            this.action = action;
            this.targetType = targetType;
            this.targetId = targetId;
        }

        public Builder change(String field, Object before, Object after) {
            Object b = plain(before);
            Object a = plain(after);
            if (!Objects.equals(b, a)) {
                changes.put(field, new FieldChange(b, a));
            }
            return this;
        }

        /** A value the action set where there was none (creation). */
        public Builder set(String field, Object value) {
            return change(field, null, value);
        }

        public AuditRecord build() {
            return new AuditRecord(tenantId, actorId, action, targetType, targetId, changes);
        }

        // UUIDs, instants and enums are kept as the text the API shows
        private static Object plain(Object value) {
            if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                    || value instanceof Map<?, ?> || value instanceof Iterable<?> || value instanceof tools.jackson.databind.JsonNode) {
                return value;
            }
            return value.toString();
        }
    }
}
