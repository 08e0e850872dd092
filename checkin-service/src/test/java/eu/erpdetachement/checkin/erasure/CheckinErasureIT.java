package eu.erpdetachement.checkin.erasure;

import static eu.erpdetachement.platform.testkit.TestPostgres.count;
import static eu.erpdetachement.platform.testkit.TestPostgres.execute;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.reactive.server.WebTestClient;

import eu.erpdetachement.checkin.app.ErasingWorker;
import eu.erpdetachement.checkin.store.RetainedCheckEvents;
import eu.erpdetachement.platform.erasure.ErasedUsers;
import eu.erpdetachement.platform.erasure.ErasureProperties;
import eu.erpdetachement.platform.erasure.RetentionSweep;
import eu.erpdetachement.platform.erasure.UserErased;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The check-in part of the data-protection rights: the export route, UserErased, and the retention sweep. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CheckinErasureIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final UUID tenant = UUID.randomUUID();
    private final UUID workerUser = UUID.randomUUID();
    private final UUID workerId = UUID.randomUUID();
    private final UUID otherUser = UUID.randomUUID();
    private final UUID otherWorker = UUID.randomUUID();
    private final UUID managerId = UUID.randomUUID();
    private final String manager = TOKENS.token(managerId, tenant, "manager", null);
    private final String admin = TOKENS.token(UUID.randomUUID(), tenant, "tenant_admin", null);
    private final String worker = TOKENS.token(workerUser, tenant, "worker", workerId);
    private final UUID missionA = UUID.randomUUID();
    private final UUID missionB = UUID.randomUUID();

    @LocalServerPort
    int port;
    @Autowired
    ErasingWorker erasing;
    @Autowired
    ErasedUsers erased;
    @Autowired
    TenantSettingsView settings;
    @Autowired
    RetainedCheckEvents retained;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("checkin", "checkin_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false"); // no broker here: the projection consumers stay off
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    /** Two chains of the worker (missions A and B), one of another worker on A, all recorded by the manager. */
    @BeforeEach
    void chains() {
        execute("INSERT INTO checkin.caller_states (user_id, tenant_id, role_type, is_active, worker_id, access_as_of) VALUES (?, ?, 'worker', true, ?, now())",
                workerUser, tenant, workerId);
        execute("INSERT INTO checkin.caller_states (user_id, tenant_id, role_type, is_active, worker_id, access_as_of) VALUES (?, ?, 'worker', true, ?, now())",
                otherUser, tenant, otherWorker);
        Instant nine = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        record(missionA, workerId, "check_in", nine);
        record(missionA, workerId, "check_out", nine.plus(1, ChronoUnit.HOURS));
        record(missionB, workerId, "check_in", nine.plus(2, ChronoUnit.HOURS));
        record(missionA, otherWorker, "check_in", nine);
    }

    @Test
    void the_export_holds_every_event_where_the_person_is_the_worker_or_the_recorder() {
        JsonNode own = export(worker, workerUser, workerId, 200);
        assertThat(own.get("check_events")).hasSize(3);
        assertThat(own.get("check_events").valueStream().map(e -> e.get("worker_id").asString())).containsOnly(workerId.toString());
        assertThat(own.get("check_events").get(0).get("hash").asString()).hasSize(64);

        assertThat(export(admin, workerUser, workerId, 200).get("check_events")).hasSize(3);
        // the manager recorded all four: they are the manager's data too
        assertThat(export(TOKENS.token(managerId, tenant, "manager", null), managerId, null, 200).get("check_events")).hasSize(4);
    }

    @Test
    void the_export_is_the_persons_own_or_a_tenant_admins() {
        export(manager, workerUser, workerId, 403);
        export(worker, otherUser, otherWorker, 403);
        export(worker, workerUser, otherWorker, 403); // their own user, another's worker id
        String compliance = TOKENS.token(UUID.randomUUID(), tenant, "compliance_officer", null);
        export(compliance, workerUser, workerId, 403);
    }

    @Test
    void another_tenants_admin_reads_nothing_of_this_tenant() {
        String foreign = TOKENS.token(UUID.randomUUID(), UUID.randomUUID(), "tenant_admin", null);
        assertThat(export(foreign, workerUser, workerId, 200).get("check_events")).isEmpty();
    }

    @Test
    void an_erased_workers_chains_are_kept_until_the_retention_ends_then_deleted_whole() {
        UserErased event = new UserErased(workerUser, tenant, workerId, Instant.now());
        erasing.erase(event).block(Duration.ofSeconds(10));
        erasing.erase(event).block(Duration.ofSeconds(10)); // delivered twice: the same result
        assertThat(count("SELECT count(*) FROM checkin.erased_users WHERE user_id = ?", workerUser)).isEqualTo(1);
        assertThat(events(workerId)).as("kept, pseudonymised by the ids").isEqualTo(3);
        assertThat(verify(missionA, workerId).get("valid").asBoolean()).isTrue();

        // as the projection consumer applies it
        settings.apply(tenant, JSON.readTree("{\"records_retention_months\":1}"), 1).block(Duration.ofSeconds(10));
        assertThat(sweepAt(Duration.ofDays(20), 1)).as("inside the retention").isZero();
        assertThat(events(workerId)).isEqualTo(3);

        // one chain per batch: both chains go, each whole
        assertThat(sweepAt(Duration.ofDays(40), 1)).isEqualTo(2);
        assertThat(events(workerId)).isZero();
        assertThat(events(otherWorker)).as("a worker who was not erased keeps every event").isEqualTo(1);
        JsonNode other = verify(missionA, otherWorker);
        assertThat(other.get("valid").asBoolean()).isTrue();
        assertThat(other.get("checked").asInt()).isEqualTo(1);
    }

    @Test
    void without_a_tenant_setting_the_contracts_default_retention_applies() {
        erasing.erase(new UserErased(workerUser, tenant, workerId, Instant.now())).block(Duration.ofSeconds(10));
        assertThat(sweepAt(Duration.ofDays(365 * 4), 100)).isZero();
        assertThat(sweepAt(Duration.ofDays(365 * 5 + 10), 100)).isEqualTo(2);
    }

    private long sweepAt(Duration ahead, int batch) {
        Clock later = Clock.offset(Clock.systemUTC(), ahead);
        RetentionSweep sweep = new RetentionSweep(erased, settings, onlyThisTenant(), later,
                new ErasureProperties(Duration.ofHours(1), batch));
        return sweep.sweep().block(Duration.ofSeconds(30));
    }

    /** Other tests' tenants share the database: sweep this test's tenant only. */
    private eu.erpdetachement.platform.erasure.RetainedRecords onlyThisTenant() {
        return new eu.erpdetachement.platform.erasure.RetainedRecords() {
            @Override
            public String name() {
                return retained.name();
            }

            @Override
            public reactor.core.publisher.Mono<Long> deleteBatch(UUID tenantId, Instant cutoff, int batchSize) {
                return tenantId.equals(tenant) ? retained.deleteBatch(tenantId, cutoff, batchSize) : reactor.core.publisher.Mono.just(0L);
            }
        };
    }

    private WebTestClient client() {
        return WebTestClient.bindToServer().baseUrl("http://localhost:" + port).responseTimeout(Duration.ofSeconds(30)).build();
    }

    private void record(UUID mission, UUID workerOf, String type, Instant at) {
        client().post().uri("/v1/missions/" + mission + "/worker-check-events")
                .header("Authorization", "Bearer " + manager).contentType(MediaType.APPLICATION_JSON)
                .bodyValue("""
                        {"worker_id":"%s","event_type":"%s","occurred_at":"%s","source":"mobile","metadata":{"device_id":"phone-1"}}"""
                        .formatted(workerOf, type, at))
                .exchange().expectStatus().isCreated();
    }

    private JsonNode export(String token, UUID user, UUID workerOf, int status) {
        String body = client().get().uri(b -> b.path("/internal/v1/users/" + user + "/personal-data")
                        .queryParamIfPresent("worker_id", java.util.Optional.ofNullable(workerOf)).build())
                .header("Authorization", "Bearer " + token)
                .exchange().expectStatus().isEqualTo(status).expectBody(String.class).returnResult().getResponseBody();
        return JSON.readTree(body);
    }

    private JsonNode verify(UUID mission, UUID workerOf) {
        return JSON.readTree(client().get().uri("/v1/missions/" + mission + "/worker-check-events:verify?worker_id=" + workerOf)
                .header("Authorization", "Bearer " + manager)
                .exchange().expectStatus().isOk().expectBody(String.class).returnResult().getResponseBody());
    }

    private long events(UUID workerOf) {
        return count("SELECT count(*) FROM checkin.worker_check_events WHERE tenant_id = ? AND worker_id = ?", tenant, workerOf);
    }
}
