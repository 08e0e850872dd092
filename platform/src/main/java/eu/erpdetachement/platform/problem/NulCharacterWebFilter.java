package eu.erpdetachement.platform.problem;

import java.util.List;
import java.util.Map;

import org.springframework.core.Ordered;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import reactor.core.publisher.Mono;

/**
 * A NUL character ({@code %00}) in the path or a query parameter is a 400 problem before any handler
 * runs: no route of this API takes one, and PostgreSQL cannot store or compare text holding it (an
 * {@code email_prefix=%00} reached the database and failed there as a 500). Runs after authentication,
 * so an anonymous caller still learns only that it needs a token.
 */
public class NulCharacterWebFilter implements WebFilter, Ordered {

    private final ProblemResponses responses;

    public NulCharacterWebFilter(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE - 20; // after the security chain, before RBAC and handlers
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (exchange.getRequest().getURI().getRawPath().contains("%00")) {
            return responses.write(exchange, ProblemType.MALFORMED_REQUEST, "The path must not contain NUL characters.");
        }
        for (Map.Entry<String, List<String>> param : exchange.getRequest().getQueryParams().entrySet()) {
            boolean nul = param.getKey().indexOf('\u0000') >= 0
                    || param.getValue().stream().anyMatch(v -> v != null && v.indexOf('\u0000') >= 0);
            if (nul) {
                String name = param.getKey().replace('\u0000', '?');
                return responses.write(exchange, ProblemType.MALFORMED_REQUEST,
                        "Query parameter '" + name + "' must not contain NUL characters.");
            }
        }
        return chain.filter(exchange);
    }
}
