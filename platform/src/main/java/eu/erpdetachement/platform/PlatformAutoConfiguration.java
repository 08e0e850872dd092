package eu.erpdetachement.platform;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.result.method.annotation.ArgumentResolverConfigurer;

import eu.erpdetachement.platform.idempotency.Idempotency;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.ProblemExceptionHandler;
import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.rbac.RbacMatrix;
import eu.erpdetachement.platform.rbac.RbacWebFilter;
import eu.erpdetachement.platform.security.CallerArgumentResolver;
import eu.erpdetachement.platform.web.RequestIdWebFilter;
import tools.jackson.databind.json.JsonMapper;

/** What every service gets by having the platform on its classpath. */
@AutoConfiguration
public class PlatformAutoConfiguration {

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

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(DatabaseClient.class)
    static class OutboxConfiguration {

        @Bean
        @ConditionalOnBean(DatabaseClient.class)
        OutboxWriter outboxWriter(DatabaseClient db, JsonMapper jsonMapper) {
            return new OutboxWriter(db, jsonMapper);
        }

        @Bean
        @ConditionalOnBean(DatabaseClient.class)
        Idempotency idempotency(DatabaseClient db) {
            return new Idempotency(db);
        }
    }
}
