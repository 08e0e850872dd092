package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;

/** A check-in through the gateway reaches Kafka through the outbox relay, as the contract describes it. */
@ExtendWith(EmbeddedStack.class)
class CheckInEventsIT {

    private static final String TOPIC = "erp.checkin.worker-check-event.v1";
    private final Api api = EmbeddedStack.gateway();

    @Test
    void a_manager_may_not_record_for_a_worker_id_that_names_no_active_worker_of_the_tenant() {
        String acme = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID mission = UUID.randomUUID();
        UUID globexWorker = Members.workerKnownToCheckin(api, EmbeddedStack.GLOBEX_ADMIN.signIn(api));

        for (UUID worker : List.of(UUID.randomUUID(), globexWorker)) {
            Api.Reply refused = api.postJson("/v1/missions/" + mission + "/worker-check-events", acme, Map.of(
                    "worker_id", worker.toString(), "event_type", "check_in",
                    "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "web", "metadata", Map.of()));
            assertThat(refused.status()).as(refused.body()).isEqualTo(422);
            assertThat(refused.contentType()).startsWith("application/problem+json");
        }
        assertThat(api.get("/v1/missions/" + mission + "/worker-check-events", acme).json().get("items")).isEmpty();
    }

    @Test
    void a_check_in_is_published_with_its_chain_key_cloudevents_headers_and_a_valid_payload() {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID mission = UUID.randomUUID();
        UUID worker = Members.workerKnownToCheckin(api, token);

        Api.Reply created = api.postJson("/v1/missions/" + mission + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "kiosk",
                "metadata", Map.of("device_id", "kiosk-3")));
        assertThat(created.status()).isEqualTo(201);
        String checkEventId = created.json().get("check_event_id").asString();

        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            KafkaEvents.Event event = events.await(e -> (mission + ":" + worker).equals(e.key()), 1, Duration.ofSeconds(60)).get(0);

            assertThat(event.headers()).containsEntry("ce_specversion", "1.0")
                    .containsEntry("ce_type", "WorkerCheckEventRecorded")
                    .containsEntry("ce_source", "/erp/checkin")
                    .containsEntry("ce_subject", mission + ":" + worker)
                    .containsEntry("ce_tenantid", EmbeddedStack.ACME_ADMIN.tenantId())
                    .containsEntry("content-type", "application/json");
            assertThat(UUID.fromString(event.headers().get("ce_id"))).isNotNull();
            assertThat(Instant.parse(event.headers().get("ce_time"))).isBefore(Instant.now().plusSeconds(1));
            assertThat(KafkaEvents.violations("WorkerCheckEventRecorded", event.value())).isEmpty();
            JsonNode payload = event.json();
            assertThat(payload.get("check_event_id").asString()).isEqualTo(checkEventId);
            assertThat(payload.get("tenant_id").asString()).isEqualTo(EmbeddedStack.ACME_ADMIN.tenantId());
            assertThat(payload.get("metadata").get("device_id").asString()).isEqualTo("kiosk-3");
        }
    }

    @Test
    void a_refused_check_out_publishes_nothing() {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);
        UUID mission = UUID.randomUUID();
        UUID worker = Members.workerKnownToCheckin(api, token);

        Api.Reply refused = api.postJson("/v1/missions/" + mission + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_out",
                "occurred_at", Instant.now().minusSeconds(30).toString(), "source", "web", "metadata", Map.of()));
        Api.Reply accepted = api.postJson("/v1/missions/" + mission + "/worker-check-events", token, Map.of(
                "worker_id", worker.toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minusSeconds(20).toString(), "source", "web", "metadata", Map.of()));

        assertThat(refused.status()).isEqualTo(409);
        assertThat(accepted.status()).isEqualTo(201);
        try (KafkaEvents events = new KafkaEvents(EmbeddedStack.stack().kafkaBootstrap(), TOPIC)) {
            // the accepted check-in arrives; the refused check-out, written before it, never does
            List<KafkaEvents.Event> chain = events.await(e -> (mission + ":" + worker).equals(e.key()), 1, Duration.ofSeconds(60));
            assertThat(chain).extracting(e -> e.json().get("event_type").asString()).containsExactly("check_in");
        }
    }
}
