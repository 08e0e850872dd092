package eu.erpdetachement.gateway.edge;

import java.net.InetSocketAddress;

import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.problem.ProblemType;
import reactor.core.publisher.Mono;

/**
 * Actuator lives on the management port only (management.server.port). On the public API port
 * {@code /actuator/**} is an ordinary unknown path, answered 404 before authentication, so that a
 * caller with or without a token learns nothing about what runs behind the edge.
 */
public class ManagementOnlyFilter implements WebFilter, Ordered, ApplicationListener<WebServerInitializedEvent> {

    private final ProblemResponses problems;
    private volatile int publicPort = -1;

    public ManagementOnlyFilter(ProblemResponses problems) {
        this.problems = problems;
    }

    @Override
    public void onApplicationEvent(WebServerInitializedEvent event) {
        if (event.getApplicationContext().getServerNamespace() == null) { // the main server, not "management"
            publicPort = event.getWebServer().getPort();
        }
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 20;
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        String path = exchange.getRequest().getPath().pathWithinApplication().value();
        boolean actuator = path.equals("/actuator") || path.startsWith("/actuator/");
        InetSocketAddress local = exchange.getRequest().getLocalAddress();
        if (actuator && (local == null || local.getPort() == publicPort)) {
            return problems.write(exchange, ProblemType.NOT_FOUND, "No resource at this path.");
        }
        return chain.filter(exchange);
    }
}
