package eu.erpdetachement.identity.audit;

import java.time.Instant;
import java.util.UUID;

import eu.erpdetachement.identity.domain.AuditChain;
import tools.jackson.databind.JsonNode;

/** A chained record of the ledger, as it is stored now (its personal fields possibly pseudonymised). */
record AuditRecordEntry(AuditChain.Link link, String hash, JsonNode changes, String canonicalChanges, String clientIp,
        boolean redacted, Instant recordedAt) {

    AuditChain.StoredLink stored() {
        return new AuditChain.StoredLink(link, hash, canonicalChanges, clientIp, redacted);
    }

    UUID auditEventId() {
        return link.auditEventId();
    }
}
