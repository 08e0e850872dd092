package eu.erpdetachement.gateway.upstreams;

import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.loadbalancer.core.ServiceInstanceListSupplier;
import org.springframework.cloud.loadbalancer.support.LoadBalancerClientFactory;
import org.springframework.cloud.loadbalancer.support.ServiceInstanceListSuppliers;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Each service's instance list, read once from the configuration (when the service's LoadBalancer is
 * created) and handed out as it is. LoadBalancer's discovery-client supplier asked the discovery clients
 * again on every request and set a 30 s timeout timer on Reactor's parallel scheduler for it; a static
 * list has nothing to cache either. LoadBalancer registers this in each service's own context; it is
 * neither scanned nor nested in a configuration class, so the application context never instantiates it.
 */
class UpstreamInstancesPerService {

    @Bean
    ServiceInstanceListSupplier upstreamInstances(Environment environment, StaticUpstreams upstreams) {
        String serviceId = LoadBalancerClientFactory.getName(environment);
        return ServiceInstanceListSuppliers.from(serviceId, upstreams.instancesOf(serviceId).toArray(ServiceInstance[]::new));
    }
}
