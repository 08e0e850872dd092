package eu.erpdetachement.gateway.edge;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import eu.erpdetachement.platform.problem.ProblemResponses;

/** What the public port shows: CORS rules for browsers, and no management endpoints. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(EdgeProperties.class)
public class EdgeConfiguration {

    @Bean
    CorsFilter corsFilter(EdgeProperties properties, ProblemResponses problems) {
        return new CorsFilter(properties, problems);
    }

    @Bean
    ManagementOnlyFilter managementOnlyFilter(ProblemResponses problems) {
        return new ManagementOnlyFilter(problems);
    }
}
