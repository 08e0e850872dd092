package eu.erpdetachement.gateway.edge;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import eu.erpdetachement.platform.web.ClientAddressWebFilter;
import reactor.core.publisher.Mono;

/**
 * Tells the services who the client is: {@code X-Client-Address} on every forwarded request is the
 * address {@link ClientAddresses} resolved, replacing any value the client sent (decision 0025).
 */
public class ClientAddressForwarding implements WebFilter, Ordered {

    private final ClientAddresses addresses;

    public ClientAddressForwarding(ClientAddresses addresses) {
        this.addresses = addresses;
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 2;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String address = addresses.of(exchange);
        return chain.filter(exchange.mutate()
                .request(r -> r.headers(h -> h.set(ClientAddressWebFilter.HEADER, address)))
                .build());
    }
}
