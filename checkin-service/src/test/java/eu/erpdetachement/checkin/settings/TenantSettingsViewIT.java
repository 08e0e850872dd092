package eu.erpdetachement.checkin.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import eu.erpdetachement.platform.settings.TenantSettingsView;
import eu.erpdetachement.platform.testkit.TestPostgres;
import eu.erpdetachement.platform.testkit.TestTokens;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tenant settings a service reads on every request come from memory for a short while: an
 * update this instance applies shows at once, one applied by another instance within the cache's
 * lifetime. (That a read inside a transaction uses the transaction's connection, so that concurrent
 * check-ins cannot exhaust the pool waiting for it, is what WorkerCheckEventsIT's fifty parallel
 * requests with one key show.)
 */
@SpringBootTest
class TenantSettingsViewIT {

    private static final TestTokens TOKENS = TestTokens.start();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration TTL = Duration.ofSeconds(5);

    @Autowired
    TenantSettingsView view;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TOKENS.springProperties().forEach((k, v) -> registry.add(k, () -> v));
        TestPostgres.springProperties("checkin", "checkin_svc").forEach((k, v) -> registry.add(k, () -> v));
        registry.add("erp.kafka.consumer.enabled", () -> "false");
        registry.add("erp.tenant-settings-view.cache-ttl", TTL::toString);
    }

    @AfterAll
    static void stopIssuer() {
        TOKENS.close();
    }

    @Test
    void an_update_applied_here_shows_at_once_and_one_applied_elsewhere_within_the_cache_lifetime() {
        UUID tenant = UUID.randomUUID();
        assertThat(view.settings(tenant).block()).isNull(); // nothing announced yet, and that is remembered too

        assertThat(view.apply(tenant, settings("Europe/Paris"), 1).block()).isTrue();
        long cached = System.nanoTime();
        assertThat(timezone(tenant)).isEqualTo("Europe/Paris");

        // another instance of the service applies version 2 to the shared table
        TestPostgres.execute("UPDATE checkin.tenant_settings_view SET settings = CAST(? AS jsonb), version = 2 WHERE tenant_id = ?",
                JSON.writeValueAsString(settings("Europe/Lisbon")), tenant);
        String meanwhile = timezone(tenant);
        if (Duration.ofNanos(System.nanoTime() - cached).compareTo(TTL) < 0) {
            assertThat(meanwhile).as("read again within the cache's lifetime").isEqualTo("Europe/Paris");
        }
        Awaitility.await().atMost(TTL.multipliedBy(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> "Europe/Lisbon".equals(timezone(tenant)));
    }

    private String timezone(UUID tenant) {
        return view.settings(tenant).block().get("timezone").asString();
    }

    private static JsonNode settings(String timezone) {
        return JSON.createObjectNode().put("timezone", timezone);
    }

}
