package eu.erpdetachement.platform.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;

import eu.erpdetachement.platform.logging.RequestLogContext;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.revocation.CallerState;
import eu.erpdetachement.platform.revocation.CallerStateLookup;
import eu.erpdetachement.platform.revocation.RevocationPolicy;
import reactor.core.publisher.Mono;

/**
 * The step right after a token's signature and claims are checked: the caller's current state
 * decides whether the token is still honoured (401 invalid_token when the user was deactivated or
 * the session ended) and which role and worker id the request runs with (so RBAC answers 403 for
 * a right lost since the token was issued). Without a lookup (the gateway) the claims are used.
 */
public class CallerAuthenticationConverter implements Converter<Jwt, Mono<AbstractAuthenticationToken>> {

    private static final Logger log = LoggerFactory.getLogger(CallerAuthenticationConverter.class);

    private final CallerStateLookup states;

    public CallerAuthenticationConverter(CallerStateLookup states) {
        this.states = states;
    }

    @Override
    public Mono<AbstractAuthenticationToken> convert(Jwt jwt) {
        Caller claimed = Caller.from(jwt);
        if (states == null) {
            return Mono.just(new CallerAuthentication(jwt, claimed));
        }
        return states.find(claimed.userId(), jwt.getClaimAsString("sid"))
                // e.g. no database connection within ERP_DB_POOL_ACQUIRE_TIMEOUT: say so, a 503 alone explains nothing
                .onErrorResume(e -> RequestLogContext.log(() -> log.warn("The caller's state could not be read: {}", e.toString()))
                        .then(Mono.<CallerState>error(new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                                "The caller's state cannot be read now; try again."))))
                .defaultIfEmpty(CallerState.UNKNOWN)
                .map(state -> switch (RevocationPolicy.decide(claimed, jwt.getIssuedAt(), state)) {
                    case RevocationPolicy.Accepted accepted -> new CallerAuthentication(jwt, accepted.caller());
                    case RevocationPolicy.Refused refused -> throw new InvalidBearerTokenException(refused.reason());
                });
    }
}
