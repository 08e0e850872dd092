package eu.erpdetachement.platform;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.core.MicrometerConsumerListener;
import org.springframework.kafka.core.MicrometerProducerListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;

import io.micrometer.core.instrument.MeterRegistry;
import eu.erpdetachement.platform.kafka.KafkaTopics;
import eu.erpdetachement.platform.kafka.ProjectionConsumerProperties;
import eu.erpdetachement.platform.kafka.ProjectionConsumers;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.reactor.netty.NettyServerCustomizer;
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
import eu.erpdetachement.platform.erasure.ErasedUsers;
import eu.erpdetachement.platform.erasure.ErasingUser;
import eu.erpdetachement.platform.erasure.ErasureProperties;
import eu.erpdetachement.platform.erasure.RetainedRecords;
import eu.erpdetachement.platform.erasure.RetentionSweep;
import eu.erpdetachement.platform.erasure.UserErasedConsumer;
import eu.erpdetachement.platform.revocation.UserEventsConsumer;
import eu.erpdetachement.platform.revocation.UserEventsProjection;
import eu.erpdetachement.platform.security.CallerArgumentResolver;
import eu.erpdetachement.platform.settings.TenantSettingsConsumer;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import eu.erpdetachement.platform.tracing.Traceparents;
import eu.erpdetachement.platform.web.RequestIdWebFilter;
import eu.erpdetachement.platform.web.ClientAddressWebFilter;
import eu.erpdetachement.platform.audit.AuditTrail;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import eu.erpdetachement.platform.web.StrictParameters;
import tools.jackson.databind.json.JsonMapper;

/** What every service gets by having the platform on its classpath. */
@AutoConfiguration
public class PlatformAutoConfiguration {

    /** The largest piece of a request body a service's HTTP server hands on (Netty's default: 8 KiB). */
    static final int REQUEST_BODY_PIECE_BYTES = 64 * 1024;

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

    /** The client's address in the request's context, for the audit trail (decision 0025). */
    @Bean
    ClientAddressWebFilter clientAddressWebFilter() {
        return new ClientAddressWebFilter();
    }

    /**
     * Request bodies handed on in pieces of up to 64 KiB, as the socket delivers them, instead of
     * Netty's 8 KiB: each piece of an upload passes the whole reactive chain (the gateway's
     * forwarding; the files service's multipart parsing, hashing and write to the store), so the
     * piece count, not the byte count, set an upload's cost (docs/performance.md, issue 14).
     */
    @Bean
    NettyServerCustomizer requestBodyPieces() {
        return server -> server.httpRequestDecoder(decoder -> decoder.maxChunkSize(REQUEST_BODY_PIECE_BYTES));
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
    @EnableConfigurationProperties({IdempotencyProperties.class, ErasureProperties.class})
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

        /** Audit records of this service's actions, as outbox events (decision 0025). */
        @Bean
        AuditTrail auditTrail(OutboxWriter outbox, Clock clock, @Value("${spring.application.name}") String application) {
            return new AuditTrail(outbox, AuditTrail.serviceName(application), clock);
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
        TenantSettingsView tenantSettingsView(DatabaseClient db, JsonMapper jsonMapper,
                @org.springframework.beans.factory.annotation.Value("${erp.tenant-settings-view.cache-ttl:PT2S}") java.time.Duration cacheTtl) {
            return new TenantSettingsView(db, jsonMapper, cacheTtl);
        }

        /** Services that erase what they hold about a person opt in with erp.erasure.enabled (an erased_users table). */
        @Bean
        @ConditionalOnProperty(name = "erp.erasure.enabled", havingValue = "true")
        ErasedUsers erasedUsers(DatabaseClient db) {
            return new ErasedUsers(db);
        }

        /** Deletes the retained records of erased people once the tenant's retention ended. */
        @Bean
        @ConditionalOnBean({ErasedUsers.class, TenantSettingsView.class, RetainedRecords.class})
        RetentionSweep retentionSweep(ErasedUsers erased, TenantSettingsView settings, RetainedRecords records, Clock clock,
                ErasureProperties properties) {
            return new RetentionSweep(erased, settings, records, clock, properties);
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
    }

    /**
     * The projection consumers of services with a database and spring-kafka (decision 0020): a
     * listener container per projection, retries with backoff, dead letters to {@code <topic>.dlt},
     * the consumed topics and their dead-letter topics created as contracts/asyncapi.yaml declares
     * them, Kafka client metrics (lag among them) in the service's meter registry.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({DatabaseClient.class, KafkaTemplate.class})
    @ConditionalOnProperty(name = "erp.kafka.consumer.enabled", havingValue = "true", matchIfMissing = true)
    @ConditionalOnExpression("${erp.tenant-settings-view.enabled:false} or ${erp.caller-state.consume-user-events:false} or ${erp.audit-ledger.enabled:false}")
    @EnableConfigurationProperties(ProjectionConsumerProperties.class)
    static class ProjectionConsumerConfiguration {

        private final String bootstrapServers;
        private final String application;

        ProjectionConsumerConfiguration(@Value("${erp.kafka.bootstrap-servers:localhost:9092}") String bootstrapServers,
                @Value("${spring.application.name}") String application) {
            this.bootstrapServers = bootstrapServers;
            this.application = application;
        }

        @Bean
        KafkaTopics kafkaTopics() {
            return KafkaTopics.fromContract();
        }

        @Bean
        DefaultKafkaConsumerFactory<String, byte[]> projectionConsumerFactory(MeterRegistry registry) {
            Map<String, Object> config = new HashMap<>();
            config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
            config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            // a topic appears only as the contract declares it (KafkaAdmin below, or the relay), never by a subscription
            config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
            DefaultKafkaConsumerFactory<String, byte[]> factory = new DefaultKafkaConsumerFactory<>(config,
                    new StringDeserializer(), new ByteArrayDeserializer());
            factory.addListener(new MicrometerConsumerListener<>(registry));
            return factory;
        }

        @Bean
        DefaultKafkaProducerFactory<String, byte[]> deadLetterProducerFactory(MeterRegistry registry) {
            Map<String, Object> config = new HashMap<>();
            config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
            config.put(ProducerConfig.CLIENT_ID_CONFIG, application + "-dead-letters");
            config.put(ProducerConfig.ACKS_CONFIG, "all");
            config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
            DefaultKafkaProducerFactory<String, byte[]> factory = new DefaultKafkaProducerFactory<>(config,
                    new StringSerializer(), new ByteArraySerializer());
            factory.addListener(new MicrometerProducerListener<>(registry));
            return factory;
        }

        @Bean
        ProjectionConsumers projectionConsumers(DefaultKafkaConsumerFactory<String, byte[]> consumerFactory,
                DefaultKafkaProducerFactory<String, byte[]> producerFactory, KafkaTopics topics,
                ProjectionConsumerProperties properties, MeterRegistry registry) {
            return new ProjectionConsumers(consumerFactory, new KafkaTemplate<>(producerFactory), topics, properties, registry);
        }

        /** Creates the consumed topics and their dead-letter topics when missing, before any container starts. */
        @Bean
        KafkaAdmin projectionKafkaAdmin() {
            KafkaAdmin admin = new KafkaAdmin(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
            admin.setOperationTimeout(15);
            // a topic made by an earlier version (auto-created) gets the contract's configs
            admin.setModifyTopicConfigs(true);
            return admin;
        }

        @Bean
        @ConditionalOnProperty(name = "erp.tenant-settings-view.enabled", havingValue = "true")
        KafkaAdmin.NewTopics tenantSettingsTopics(KafkaTopics topics) {
            return new KafkaAdmin.NewTopics(topics.topic(TenantSettingsConsumer.TOPIC).newTopic(),
                    topics.deadLetterOf(TenantSettingsConsumer.TOPIC).newTopic());
        }

        @Bean
        @ConditionalOnProperty(name = "erp.tenant-settings-view.enabled", havingValue = "true")
        ConcurrentMessageListenerContainer<String, byte[]> tenantSettingsConsumer(ProjectionConsumers consumers,
                TenantSettingsView view, JsonMapper jsonMapper) {
            return consumers.container(new TenantSettingsConsumer(view, jsonMapper), application + "-tenant-settings");
        }

        @Bean
        @ConditionalOnProperty(name = "erp.caller-state.consume-user-events", havingValue = "true")
        KafkaAdmin.NewTopics userEventsTopics(KafkaTopics topics) {
            return new KafkaAdmin.NewTopics(topics.topic(UserEventsConsumer.TOPIC).newTopic(),
                    topics.deadLetterOf(UserEventsConsumer.TOPIC).newTopic());
        }

        /** A service that erases what it holds about a person (an {@link ErasingUser} bean) reads UserErased. */
        @Bean
        @ConditionalOnBean(ErasingUser.class)
        ConcurrentMessageListenerContainer<String, byte[]> userErasedConsumer(ProjectionConsumers consumers,
                ErasingUser erasing, JsonMapper jsonMapper) {
            return consumers.container(new UserErasedConsumer(erasing, jsonMapper), application + "-erasure");
        }

        /** Services other than identity learn the callers' state from erp.identity.user.v1. */
        @Bean
        @ConditionalOnProperty(name = "erp.caller-state.consume-user-events", havingValue = "true")
        ConcurrentMessageListenerContainer<String, byte[]> userEventsConsumer(ProjectionConsumers consumers,
                CallerStateStore store, JsonMapper jsonMapper) {
            return consumers.container(new UserEventsConsumer(new UserEventsProjection(store), jsonMapper),
                    application + "-caller-state");
        }
    }
}
