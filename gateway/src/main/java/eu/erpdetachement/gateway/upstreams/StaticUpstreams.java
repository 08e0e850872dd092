package eu.erpdetachement.gateway.upstreams;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import org.springframework.cloud.client.DefaultServiceInstance;
import org.springframework.cloud.client.ServiceInstance;
import org.springframework.cloud.client.discovery.ReactiveDiscoveryClient;

import reactor.core.publisher.Flux;

/**
 * The configured instances as a discovery client: Spring Cloud LoadBalancer reads them for the
 * routes' {@code lb://service} URIs and balances round-robin. The list is static: an instance that
 * stops still gets its share (a 503 problem) until the configuration changes.
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
        List<URI> urls = properties.upstreams().getOrDefault(serviceId, List.of());
        List<ServiceInstance> instances = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            URI url = urls.get(i);
            boolean secure = "https".equals(url.getScheme());
            int port = url.getPort() != -1 ? url.getPort() : secure ? 443 : 80;
            instances.add(new DefaultServiceInstance(serviceId + "-" + i, serviceId, url.getHost(), port, secure));
        }
        return Flux.fromIterable(instances);
    }

    @Override
    public Flux<String> getServices() {
        return Flux.fromIterable(properties.upstreams().keySet());
    }
}
