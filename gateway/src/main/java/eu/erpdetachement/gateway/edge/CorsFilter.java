package eu.erpdetachement.gateway.edge;

import java.time.Duration;
import java.util.List;

import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.reactive.CorsUtils;
import org.springframework.web.cors.reactive.DefaultCorsProcessor;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.problem.ProblemType;
import reactor.core.publisher.Mono;

/**
 * CORS at the edge, before authentication: a preflight ({@code OPTIONS} with
 * {@code Access-Control-Request-Method}) carries no token, so it is answered here by the CORS rules
 * alone; a request from an origin that is not allowed gets a 403 problem.
 */
public class CorsFilter implements WebFilter, Ordered {

    private final CorsConfiguration configuration = new CorsConfiguration();
    private final DefaultCorsProcessor processor = new DefaultCorsProcessor();
    private final ProblemResponses problems;

    public CorsFilter(EdgeProperties properties, ProblemResponses problems) {
        this.problems = problems;
        configuration.setAllowedOrigins(properties.corsAllowedOrigins());
        configuration.setAllowedMethods(List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"));
        configuration.setAllowedHeaders(List.of("*"));
        configuration.setExposedHeaders(List.of("X-Request-Id", "Location", "ETag", "Retry-After", "Idempotent-Replayed"));
        configuration.setAllowCredentials(false); // bearer tokens, no cookies
        configuration.setMaxAge(Duration.ofHours(1));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 10; // after the request id, before security
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        if (!CorsUtils.isCorsRequest(exchange.getRequest())) {
            return chain.filter(exchange);
        }
        if (!processor.process(configuration, exchange)) {
            return problems.write(exchange, ProblemType.FORBIDDEN, "This origin may not call the API.");
        }
        if (CorsUtils.isPreFlightRequest(exchange.getRequest())) {
            exchange.getResponse().setStatusCode(HttpStatus.NO_CONTENT);
            return exchange.getResponse().setComplete();
        }
        return chain.filter(exchange);
    }
}
