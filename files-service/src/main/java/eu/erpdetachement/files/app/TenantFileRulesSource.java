package eu.erpdetachement.files.app;

import java.util.UUID;

import eu.erpdetachement.files.domain.TenantFileRules;
import reactor.core.publisher.Mono;

/** The rules a tenant has configured, or the defaults. */
public interface TenantFileRulesSource {

    Mono<TenantFileRules> of(UUID tenantId);
}
