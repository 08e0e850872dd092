package eu.erpdetachement.platform.rbac;

import java.util.Optional;

import org.springframework.core.Ordered;
import org.springframework.security.core.context.ReactiveSecurityContextHolder;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;

/**
 * Enforces the matrix before any handler runs: a {@code deny} cell is a 403 here, every other cell is
 * handed to the handler as a {@link RouteAccess} so that conditional cells are finished there.
 */
public class RbacWebFilter implements WebFilter, Ordered {

    private final RbacMatrix matrix;
    private final ProblemResponses problems;

    public RbacWebFilter(RbacMatrix matrix, ProblemResponses problems) {
        this.matrix = matrix;
        this.problems = problems;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 10; // after the security filter chain has authenticated
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        Optional<RbacRoute> route = matrix.match(exchange.getRequest().getMethod(),
                exchange.getRequest().getPath().pathWithinApplication().value());
        if (route.isEmpty() || !route.get().requiresToken()) {
            return chain.filter(exchange);
        }
        return ReactiveSecurityContextHolder.getContext()
                .map(context -> Optional.ofNullable(Caller.of(context.getAuthentication())))
                .defaultIfEmpty(Optional.empty())
                .flatMap(caller -> {
                    if (caller.isEmpty()) {
                        return chain.filter(exchange); // the security chain has already answered 401
                    }
                    Access access = route.get().accessFor(caller.get().role());
                    if (access == Access.DENY) {
                        return problems.write(exchange, ProblemType.FORBIDDEN,
                                "Role " + caller.get().role().wireName() + " may not " + route.get().operation() + ".");
                    }
                    exchange.getAttributes().put(RouteAccess.ATTRIBUTE, new RouteAccess(route.get(), access));
                    return chain.filter(exchange);
                });
    }
}
