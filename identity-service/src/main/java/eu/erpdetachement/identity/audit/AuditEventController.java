package eu.erpdetachement.identity.audit;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;


import eu.erpdetachement.identity.domain.AuditChain;
import eu.erpdetachement.platform.paging.KeysetCursor;
import eu.erpdetachement.platform.paging.PageLimit;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** GET /v1/audit-events and its verification (decision 0025); who may read them: contracts/rbac.yaml. */
@RestController
public class AuditEventController {

    static final Set<String> TARGET_TYPES = Set.of("user", "tenant_settings", "file", "check_event");
    private static final Pattern ACTION = Pattern.compile("[a-z_]+\\.[a-z_]+");

    private final AuditLedger ledger;

    public AuditEventController(AuditLedger ledger) {
        this.ledger = ledger;
    }

    public record AuditEvent(UUID auditEventId, long sequenceNo,
            Instant occurredAt, String service, UUID actorId,
            String action, String targetType, String targetId,
            JsonNode changes, String clientIp, String requestId,
            boolean redacted, String previousHash, String hash) {

        static AuditEvent of(AuditRecordEntry e) {
            AuditChain.Link l = e.link();
            return new AuditEvent(l.auditEventId(), l.sequenceNo(), l.occurredAt(), l.service(), l.actorId(), l.action(),
                    l.targetType(), l.targetId(), e.changes(), e.clientIp(), l.requestId(), e.redacted(), l.previousHash(),
                    e.hash());
        }
    }

    public record AuditEventList(List<AuditEvent> items, String nextCursor) {
    }

    public record AuditVerification(boolean valid, int checked, int redacted,
            Long firstBrokenSequenceNo) {
    }

    @GetMapping("/v1/audit-events")
    public Mono<AuditEventList> list(@RequestParam(name = "actor_id", required = false) UUID actorId,
            @RequestParam(name = "target_type", required = false) String targetType,
            @RequestParam(name = "target_id", required = false) String targetId,
            @RequestParam(name = "action", required = false) String action,
            @RequestParam(name = "from", required = false) String from,
            @RequestParam(name = "to", required = false) String to,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "cursor", required = false) String cursor, Caller caller) {
        int pageSize = PageLimit.of(limit);
        if (targetType != null && !TARGET_TYPES.contains(targetType)) {
            throw ProblemException.validation("target_type", "must be one of " + String.join(", ", TARGET_TYPES.stream().sorted().toList()));
        }
        if (targetId != null && (targetId.isEmpty() || targetId.length() > 200)) {
            throw ProblemException.validation("target_id", "must be 1 to 200 characters");
        }
        if (action != null && (action.length() > 64 || !ACTION.matcher(action).matches())) {
            throw ProblemException.validation("action", "must be an action such as user.role_changed");
        }
        Long before = cursor == null ? null : sequenceNo(KeysetCursor.decode(cursor, 1).get(0));
        var filter = new AuditLedger.Filter(actorId, targetType, targetId, action, instant("from", from), instant("to", to));
        return ledger.page(caller.tenantId(), filter, before, pageSize + 1)
                .collectList()
                .map(found -> {
                    boolean more = found.size() > pageSize;
                    List<AuditRecordEntry> page = more ? found.subList(0, pageSize) : found;
                    String next = more ? KeysetCursor.encode(Long.toString(page.get(page.size() - 1).link().sequenceNo())) : null;
                    return new AuditEventList(page.stream().map(AuditEvent::of).toList(), next);
                });
    }

    @GetMapping("/v1/audit-events:verify")
    public Mono<AuditVerification> verify(Caller caller) {
        return ledger.erasedSubjects(caller.tenantId())
                .flatMap(erased -> ledger.chain(caller.tenantId())
                        .reduce(new AuditChain.Verifier(erased), (verifier, link) -> {
                            verifier.accept(link);
                            return verifier;
                        }))
                .map(AuditChain.Verifier::result)
                .map(v -> new AuditVerification(v.valid(), v.checked(), v.redacted(), v.firstBrokenSequenceNo().orElse(null)));
    }

    private static Long sequenceNo(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProblemException.validation("cursor", "is not a cursor this API returned");
        }
    }

    private static Instant instant(String name, String value) {
        if (value == null) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw ProblemException.validation(name, "must be an RFC 3339 date-time with an offset");
        }
    }
}
