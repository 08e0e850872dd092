package eu.erpdetachement.gateway.upstreams;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

import reactor.core.publisher.Flux;

/**
 * The configured instances of each service: Spring Cloud LoadBalancer is handed them
 * ({@link #instancesOf}, {@code UpstreamInstancesPerService}) for the routes' {@code lb://service} URIs
 * and balances round-robin; as a discovery client they are what the gateway reports it knows. The list
 * is static: an instance that stops still gets its share (a 503 problem) until the configuration changes.
 */
public class StaticUpstreams implements ReactiveDiscoveryClient {

    private final UpstreamProperties properties;

    public StaticUpstreams(UpstreamProperties properties) {
        this.properties = properties;
    }

    @Override
    public String description() {
        return "Instances from erp.gateway.upstreams";
    }

    @Override
    public Flux<ServiceInstance> getInstances(String serviceId) {
        return Flux.fromIterable(instancesOf(serviceId));
    }

    /** The instances configured for a service, in their order; none for a service not configured. */
    public List<ServiceInstance> instancesOf(String serviceId) {
        List<URI> urls = properties.upstreams().getOrDefault(serviceId, List.of());
        List<ServiceInstance> instances = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            URI url = urls.get(i);
            boolean secure = "https".equals(url.getScheme());
            int port = url.getPort() != -1 ? url.getPort() : secure ? 443 : 80;
            instances.add(new DefaultServiceInstance(serviceId + "-" + i, serviceId, url.getHost(), port, secure));
        }
        return List.copyOf(instances);
    }

    @Override
    public Flux<String> getServices() {
        return Flux.fromIterable(properties.upstreams().keySet());
    }
}
