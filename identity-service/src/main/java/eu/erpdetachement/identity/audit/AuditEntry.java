package eu.erpdetachement.identity.audit;

import java.time.Instant;
import java.util.UUID;

import tools.jackson.databind.JsonNode;

/** One AuditRecorded event as a service published it, before the ledger chains it. */
public record AuditEntry(UUID auditEventId, UUID tenantId, Instant occurredAt, String service, UUID actorId, String action,
        String targetType, String targetId, JsonNode changes, String clientIp, String requestId) {
}
