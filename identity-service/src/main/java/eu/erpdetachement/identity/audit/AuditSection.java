package eu.erpdetachement.identity.audit;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import eu.erpdetachement.identity.personaldata.PersonalDataRequest;
import eu.erpdetachement.identity.personaldata.PersonalDataSource;
import reactor.core.publisher.Mono;

/**
 * The audit records about or by the person, for their personal-data export: as the trail shows them
 * (pseudonymised once they are erased). A change made in the last moments may not be in the ledger yet.
 */
@Component
@Order(10)
public class AuditSection implements PersonalDataSource {

    private final AuditLedger ledger;

    public AuditSection(AuditLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public String section() {
        return "audit_events";
    }

    @Override
    public Mono<Object> export(PersonalDataRequest request) {
        return ledger.naming(request.subject().tenantId(), request.subject().userId())
                .map(AuditEventController.AuditEvent::of)
                .collectList()
                .cast(Object.class);
    }
}
