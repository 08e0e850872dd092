package eu.erpdetachement.gateway.edge;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import eu.erpdetachement.platform.problem.ProblemResponses;

/** What the public port shows: CORS rules for browsers, and no management endpoints; who the client is. */
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
    ManagementOnlyFilter managementOnlyFilter(ProblemResponses problems) {
        return new ManagementOnlyFilter(problems);
    }
}
