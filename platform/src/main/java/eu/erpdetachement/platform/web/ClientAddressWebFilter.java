package eu.erpdetachement.platform.web;

import java.net.InetSocketAddress;
import java.util.regex.Pattern;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * Puts the client's address in the Reactor context, for the audit trail. Behind the gateway it is the
 * {@code X-Client-Address} the gateway set (it resolves the address once, trusting only its own
 * proxies, and replaces whatever the client sent); a request that did not come through the gateway
 * is recorded with its TCP peer. Only addresses are kept: anything else in the header is dropped.
 */
public class ClientAddressWebFilter implements WebFilter, Ordered {

    public static final String HEADER = "X-Client-Address";
    public static final String CONTEXT_KEY = "clientAddress";
    private static final Pattern ADDRESS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String address = address(exchange);
        return address == null ? chain.filter(exchange)
                : chain.filter(exchange).contextWrite(context -> context.put(CONTEXT_KEY, address));
    }

    static String address(ServerWebExchange exchange) {
        String forwarded = exchange.getRequest().getHeaders().getFirst(HEADER);
        if (forwarded != null) {
            return ADDRESS.matcher(forwarded).matches() ? forwarded : null;
        }
        InetSocketAddress peer = exchange.getRequest().getRemoteAddress();
        if (peer == null) {
            return null;
        }
        return peer.getAddress() != null ? peer.getAddress().getHostAddress() : null;
    }
}
