package eu.erpdetachement.gateway.upstreams;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The instances of each service the gateway routes to (decision 0024): service id → base URLs, each
 * {@code http(s)://host:port}. One URL is the usual case (a platform balancer or a single instance);
 * several are balanced round-robin by the gateway. Bound from ERP_IDENTITY_URL, ERP_FILES_URL and
 * ERP_CHECKIN_URL, which take a comma-separated list.
 */
@ConfigurationProperties("erp.gateway")
public record UpstreamProperties(Map<String, List<URI>> upstreams) {

    public UpstreamProperties {
        upstreams = upstreams == null ? Map.of() : Map.copyOf(upstreams);
        upstreams.forEach((service, urls) -> {
            if (urls == null || urls.isEmpty()) {
                throw new IllegalArgumentException("erp.gateway.upstreams." + service + " names no instance");
            }
            for (URI url : urls) {
                boolean web = "http".equals(url.getScheme()) || "https".equals(url.getScheme());
                if (!web || url.getHost() == null) {
                    throw new IllegalArgumentException("erp.gateway.upstreams." + service + ": " + url
                            + " is not an http(s)://host[:port] URL");
                }
            }
        });
    }
}
