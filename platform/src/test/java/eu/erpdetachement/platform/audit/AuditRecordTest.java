package eu.erpdetachement.platform.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;

class AuditRecordTest {

    @Test
    void keeps_only_the_fields_that_changed_as_the_api_shows_them() {
        UUID tenant = UUID.randomUUID();
        UUID worker = UUID.randomUUID();
        AuditRecord record = AuditRecord.of(tenant, null, "user.updated", "user", worker)
                .change("email", "a@acme.test", "b@acme.test")
                .change("language", "fr", "fr")
                .change("worker_id", null, worker)
                .change("updated_at", null, Instant.parse("2026-12-03T08:00:00Z"))
                .build();

        assertThat(record.targetId()).isEqualTo(worker.toString());
        assertThat(record.changes()).containsOnlyKeys("email", "worker_id", "updated_at");
        assertThat(record.changes().get("worker_id").after()).isEqualTo(worker.toString());
        assertThat(record.changes().get("updated_at").after()).isEqualTo("2026-12-03T08:00:00Z");
    }

    @Test
    void service_names_are_the_applications_without_their_suffix() {
        assertThat(AuditTrail.serviceName("identity-service")).isEqualTo("identity");
        assertThat(AuditTrail.serviceName("checkin-service")).isEqualTo("checkin");
        assertThat(AuditTrail.serviceName("outbox-relay")).isEqualTo("outbox-relay");
    }
}
