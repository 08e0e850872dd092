package eu.erpdetachement.platform;

import java.time.Clock;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

import eu.erpdetachement.platform.health.DependencyProbe;
import eu.erpdetachement.platform.idempotency.Idempotency;
import eu.erpdetachement.platform.idempotency.IdempotencyProperties;
import eu.erpdetachement.platform.idempotency.IdempotencyPurge;
import eu.erpdetachement.platform.json.StrictJson;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.NulCharacterWebFilter;
import eu.erpdetachement.platform.problem.ProblemExceptionHandler;
import eu.erpdetachement.platform.problem.ProblemExchangeRejectedHandler;
import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.rbac.RbacMatrix;
import eu.erpdetachement.platform.rbac.RbacWebFilter;
import eu.erpdetachement.platform.revocation.CallerStateStore;
import eu.erpdetachement.platform.revocation.UserEventsConsumer;
import eu.erpdetachement.platform.revocation.UserEventsProjection;
import eu.erpdetachement.platform.security.CallerArgumentResolver;
import eu.erpdetachement.platform.settings.TenantSettingsConsumer;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import eu.erpdetachement.platform.tracing.Traceparents;
import eu.erpdetachement.platform.web.RequestIdWebFilter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import eu.erpdetachement.platform.web.StrictParameters;
import tools.jackson.databind.json.JsonMapper;

/** What every service gets by having the platform on its classpath. */
@AutoConfiguration
public class PlatformAutoConfiguration {

    /** The time source of use cases; tests may replace it. */
    @Bean
    @ConditionalOnMissingBean
    Clock clock() {
        return Clock.systemUTC();
    }

    /** Duplicate member names and NUL characters refused in every JSON body (decision 0017). */
    @Bean
    StrictJson strictJson() {
        return new StrictJson();
    }

    /** NUL characters refused in query parameters and paths (decision 0017). */
    @Bean
    NulCharacterWebFilter nulCharacterWebFilter(ProblemResponses responses) {
        return new NulCharacterWebFilter(responses);
    }

    /** Parameters bound as the contract types them: true/false booleans, no empty typed values (decision 0017). */
    @Bean
    StrictParameters strictParameters() {
        return new StrictParameters();
    }

    /** The security firewall's refusals (encoded %, NUL, //, ..) as problems, not bare 400s (decision 0017). */
    @Bean
    ProblemExchangeRejectedHandler problemExchangeRejectedHandler(ProblemResponses responses) {
        return new ProblemExchangeRejectedHandler(responses);
    }

    @Bean
    ProblemResponses problemResponses(JsonMapper jsonMapper) {
        return new ProblemResponses(jsonMapper);
    }

    @Bean
    ProblemExceptionHandler problemExceptionHandler(ProblemResponses responses) {
        return new ProblemExceptionHandler(responses);
    }

    @Bean
    RbacMatrix rbacMatrix() {
        return RbacMatrix.fromClasspath();
    }

    @Bean
    @ConditionalOnProperty(name = "erp.rbac.enforce", havingValue = "true", matchIfMissing = true)
    RbacWebFilter rbacWebFilter(RbacMatrix matrix, ProblemResponses responses) {
        return new RbacWebFilter(matrix, responses);
    }

    @Bean
    RequestIdWebFilter requestIdWebFilter() {
        return new RequestIdWebFilter();
    }

    @Bean
    WebFluxConfigurer callerArgumentConfigurer() {
        return new WebFluxConfigurer() {
            @Override
            public void configureArgumentResolvers(ArgumentResolverConfigurer configurer) {
                configurer.addCustomResolver(new CallerArgumentResolver());
            }
        };
    }

    /** For services with a database (R2DBC on the classpath, hence a DatabaseClient). */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DatabaseClient.class)
    @EnableConfigurationProperties(IdempotencyProperties.class)
    static class OutboxConfiguration {

        /** One transaction around a use case's statements (the same R2DBC connection for all of them). */
        @Bean
        @ConditionalOnMissingBean
        TransactionalOperator transactionalOperator(ReactiveTransactionManager transactionManager) {
            return TransactionalOperator.create(transactionManager);
        }

        @Bean
        OutboxWriter outboxWriter(DatabaseClient db, JsonMapper jsonMapper, ObjectProvider<Tracer> tracer,
                ObjectProvider<Propagator> propagator) {
            return new OutboxWriter(db, jsonMapper, new Traceparents(tracer.getIfAvailable(), propagator.getIfAvailable()));
        }

        /** PostgreSQL as this service sees it, for the DependencyUnreachable alert. */
        @Bean
        DependencyProbe postgresqlProbe(MeterRegistry registry, DatabaseClient db) {
            return new DependencyProbe(registry, "postgresql", () -> db.sql("SELECT 1").fetch().rowsUpdated());
        }

        @Bean
        Idempotency idempotency(DatabaseClient db) {
            return new Idempotency(db);
        }

        /** Services with an idempotency_keys table opt in with erp.idempotency.enabled: their old keys are purged. */
        @Bean
        @ConditionalOnProperty(name = "erp.idempotency.enabled", havingValue = "true")
        IdempotencyPurge idempotencyPurge(DatabaseClient db, Clock clock, IdempotencyProperties properties) {
            return new IdempotencyPurge(db, clock, properties);
        }

        /** Services that keep a copy of tenant settings opt in with erp.tenant-settings-view.enabled. */
        @Bean
        @ConditionalOnProperty(name = "erp.tenant-settings-view.enabled", havingValue = "true")
        TenantSettingsView tenantSettingsView(DatabaseClient db, JsonMapper jsonMapper) {
            return new TenantSettingsView(db, jsonMapper);
        }

        @Bean
        @ConditionalOnProperty(name = "erp.tenant-settings-view.enabled", havingValue = "true")
        @ConditionalOnClass(name = "org.apache.kafka.clients.consumer.KafkaConsumer")
        TenantSettingsConsumer tenantSettingsConsumer(TenantSettingsView view, JsonMapper jsonMapper,
                @Value("${erp.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
                @Value("${spring.application.name}") String application) {
            return new TenantSettingsConsumer(view, jsonMapper, bootstrapServers, application + "-tenant-settings");
        }

        /**
         * Services that judge tokens by the caller's current state opt in with erp.caller-state.enabled
         * (identity declares its own store, reading its users table).
         */
        @Bean
        @ConditionalOnMissingBean
        @ConditionalOnProperty(name = "erp.caller-state.enabled", havingValue = "true")
        CallerStateStore callerStateStore(DatabaseClient db) {
            return new CallerStateStore(db);
        }

        /** Services other than identity learn the state from erp.identity.user.v1. */
        @Bean
        @ConditionalOnProperty(name = "erp.caller-state.consume-user-events", havingValue = "true")
        @ConditionalOnClass(name = "org.apache.kafka.clients.consumer.KafkaConsumer")
        UserEventsConsumer userEventsConsumer(CallerStateStore store, JsonMapper jsonMapper,
                @Value("${erp.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
                @Value("${spring.application.name}") String application) {
            return new UserEventsConsumer(new UserEventsProjection(store), jsonMapper, bootstrapServers,
                    application + "-caller-state");
        }
    }
}
