package eu.erpdetachement.gateway.edge;

import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.cloud.gateway.filter.GlobalFilter;
import org.springframework.cloud.gateway.filter.NettyRoutingFilter;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;

import eu.erpdetachement.platform.tracing.Traceparents;
import reactor.core.publisher.Mono;

/**
 * Sends each routed request on under the gateway's own server span: its {@code traceparent}
 * replaces the client's, so a service's span is the child of the gateway's, in the client's trace
 * if it sent one (decision 0038). Spring Cloud Gateway's own observation of the forwarded request
 * does the same, plus a client span and a timer for every request: 7 % of the gateway's CPU, for
 * a span nobody read beside the server span and the service's own.
 */
public class TraceparentForwarding implements GlobalFilter, Ordered {

    private final Traceparents traceparents;

    public TraceparentForwarding(Traceparents traceparents) {
        this.traceparents = traceparents;
    }

    @Override
    public int getOrder() {
        return NettyRoutingFilter.ORDER - 1;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, GatewayFilterChain chain) {
        return Mono.deferContextual(context -> {
            String traceparent = traceparents.of(context);
            if (traceparent == null) {
                return chain.filter(exchange); // tracing off: the client's header, if any, goes on as sent
            }
            return chain.filter(exchange.mutate()
                    .request(request -> request.headers(headers -> headers.set(Traceparents.HEADER, traceparent)))
                    .build());
        });
    }
}
