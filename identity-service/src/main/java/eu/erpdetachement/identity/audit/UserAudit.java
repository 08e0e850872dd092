package eu.erpdetachement.identity.audit;

import java.util.UUID;

import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.platform.audit.AuditRecord;

/** The audit records of actions on users: the profile's fields before and after, never a secret. */
public final class UserAudit {

    public static final String TARGET = "user";

    private UserAudit() {
    }

    /** A change of the profile from {@code before} (null: it did not exist) to {@code after}. */
    public static AuditRecord changed(String action, UUID actorId, UserProfile before, UserProfile after) {
        return AuditRecord.of(after.tenantId(), actorId, action, TARGET, after.userId())
                .change("email", before == null ? null : before.email(), after.email())
                .change("role_type", before == null ? null : before.role().wireName(), after.role().wireName())
                .change("is_active", before == null ? null : before.active(), after.active())
                .change("language", before == null ? null : before.language(), after.language())
                .change("worker_id", before == null ? null : before.workerId(), after.workerId())
                .build();
    }

    /** An action on a user that changed nothing of the profile (a sign-in failure, a reset, a sign-out). */
    public static AuditRecord about(String action, UUID actorId, UUID tenantId, UUID userId) {
        return AuditRecord.of(tenantId, actorId, action, TARGET, userId).build();
    }
}
