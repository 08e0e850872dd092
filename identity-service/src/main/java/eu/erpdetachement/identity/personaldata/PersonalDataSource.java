package eu.erpdetachement.identity.personaldata;

import reactor.core.publisher.Mono;

/**
 * One section of a personal-data export (GET /v1/users/{user_id}/personal-data): a part of what the
 * system holds about the person, answered whole or not at all. A new part (e.g. audit records) is
 * one more bean of this type, and its section in contracts/openapi.yaml's PersonalDataExport.
 */
public interface PersonalDataSource {

    /** The section's property in the export document. */
    String section();

    /** The section's content; an error (a 503 problem when a service does not answer) fails the whole export. */
    Mono<Object> export(PersonalDataRequest request);
}
