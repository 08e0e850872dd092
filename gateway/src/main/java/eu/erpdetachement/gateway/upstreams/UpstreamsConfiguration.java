package eu.erpdetachement.gateway.upstreams;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.loadbalancer.annotation.LoadBalancerClients;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Where the routes' {@code lb://} services live (decision 0024). */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(UpstreamProperties.class)
@LoadBalancerClients(defaultConfiguration = UpstreamInstancesPerService.class)
public class UpstreamsConfiguration {

    @Bean
    StaticUpstreams staticUpstreams(UpstreamProperties properties) {
        return new StaticUpstreams(properties);
    }
}
