package eu.erpdetachement.gateway.upstreams;

import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Each service's instance list, read from the configuration as it is: a static list has nothing to
 * cache (LoadBalancer's default would wrap it in a cache and warn that none is configured).
 * LoadBalancer registers this in each service's own context; it is neither scanned nor nested in a
 * configuration class, so the application context never instantiates it.
 */
class UpstreamInstancesPerService {

    @Bean
    ServiceInstanceListSupplier upstreamInstances(ConfigurableApplicationContext context) {
        return ServiceInstanceListSupplier.builder().withDiscoveryClient().build(context);
    }
}
