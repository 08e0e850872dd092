package eu.erpdetachement.files.app;

import java.util.UUID;

import eu.erpdetachement.files.domain.FileLimits;
import reactor.core.publisher.Mono;

/** The limits a tenant has configured, or the defaults. */
public interface TenantFileLimits {

    Mono<FileLimits> of(UUID tenantId);
}
