package eu.erpdetachement.gateway.edge;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * What the public edge lets browsers do.
 *
 * @param corsAllowedOrigins origins (scheme://host[:port]) whose pages may call the API; empty: none
 */
@ConfigurationProperties("erp.gateway")
public record EdgeProperties(List<String> corsAllowedOrigins) {

    public EdgeProperties {
        corsAllowedOrigins = corsAllowedOrigins == null ? List.of()
                : corsAllowedOrigins.stream().map(String::trim).filter(o -> !o.isEmpty()).toList();
    }
}
