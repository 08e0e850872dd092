package eu.erpdetachement.platform.problem;

import org.springframework.security.web.server.firewall.ServerExchangeRejectedException;
import org.springframework.security.web.server.firewall.ServerExchangeRejectedHandler;
import org.springframework.web.server.ServerWebExchange;

import reactor.core.publisher.Mono;

/**
 * Spring Security's firewall refuses paths with encoded percent signs, slashes, NUL or control
 * characters, {@code //} and {@code ..}; its default answer is a bare 400. This one is the same 400 as
 * an RFC 9457 problem, like every other refusal (found by the contract fuzzer, decision 0017).
 */
public class ProblemExchangeRejectedHandler implements ServerExchangeRejectedHandler {

    private final ProblemResponses responses;

    public ProblemExchangeRejectedHandler(ProblemResponses responses) {
        this.responses = responses;
    }

    @Override
    public Mono<Void> handle(ServerWebExchange exchange, ServerExchangeRejectedException ex) {
        return responses.write(exchange, ProblemType.MALFORMED_REQUEST, "The request path is not acceptable.");
    }
}
