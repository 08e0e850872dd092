package eu.erpdetachement.gateway.edge;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.tracing.Traceparents;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;

/**
 * What the public port shows: CORS rules for browsers, and no management endpoints; who the client
 * is and which trace a request belongs to, told to the services.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeConfiguration {

    @Bean
    CorsFilter corsFilter(EdgeProperties properties, ProblemResponses problems) {
        return new CorsFilter(properties, problems);
    }

    @Bean
    ClientAddresses clientAddresses(@Value("${erp.gateway.limits.trusted-proxies:0}") int trustedProxies) {
        return new ClientAddresses(trustedProxies);
    }

    @Bean
    ClientAddressForwarding clientAddressForwarding(ClientAddresses addresses) {
        return new ClientAddressForwarding(addresses);
    }

    @Bean
    TraceparentForwarding traceparentForwarding(ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new TraceparentForwarding(new Traceparents(tracer.getIfAvailable(), propagator.getIfAvailable()));
    }

    @Bean
    ManagementOnlyFilter managementOnlyFilter(ProblemResponses problems) {
        return new ManagementOnlyFilter(problems);
    }
}
