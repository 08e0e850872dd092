package eu.erpdetachement.identity.config;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.reactive.function.client.WebClient;

import eu.erpdetachement.identity.personaldata.ServiceSection;
import eu.erpdetachement.platform.health.DependencyProbe;
import eu.erpdetachement.platform.revocation.CallerStateStore;
import io.micrometer.core.instrument.MeterRegistry;

/** Runs the identity service's scheduled work (the Keycloak reconciliation) and its caller state. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class IdentityConfiguration {

    /**
     * Identity is the source of truth: each request runs with the role and status of the users
     * table as committed, and with the sessions this service ended itself.
     */
    @Bean
    CallerStateStore callerStateStore(DatabaseClient db) {
        return new CallerStateStore(db, "users");
    }

    /** Keycloak as this service sees it (its realm's discovery document), for the DependencyUnreachable alert. */
    @Bean
    DependencyProbe keycloakProbe(MeterRegistry registry, KeycloakProperties keycloak, WebClient.Builder builder) {
        WebClient http = builder.build();
        return new DependencyProbe(registry, "keycloak", () -> http.get()
                .uri(keycloak.url() + "/realms/" + keycloak.realm() + "/.well-known/openid-configuration")
                .retrieve().toBodilessEntity());
    }

    /** The personal-data sections the check-in and files services hold (docs/data-protection.md). */
    @Bean
    @org.springframework.core.annotation.Order(1)
    ServiceSection checkEventsSection(PersonalDataProperties properties, WebClient.Builder builder) {
        return new ServiceSection("check_events", "check-in", properties.checkinUrl(), properties, builder);
    }

    @Bean
    @org.springframework.core.annotation.Order(2)
    ServiceSection filesSection(PersonalDataProperties properties, WebClient.Builder builder) {
        return new ServiceSection("files", "files", properties.filesUrl(), properties, builder);
    }
}
