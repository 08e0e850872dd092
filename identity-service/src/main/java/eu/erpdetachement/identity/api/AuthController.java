package eu.erpdetachement.identity.api;

import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.identity.api.AuthDtos.AuthLoginRequest;
import eu.erpdetachement.identity.api.AuthDtos.AuthLoginResponse;
import eu.erpdetachement.identity.api.AuthDtos.AuthLogoutRequest;
import eu.erpdetachement.identity.api.AuthDtos.AuthLogoutResponse;
import eu.erpdetachement.identity.api.AuthDtos.AuthRefreshRequest;
import eu.erpdetachement.identity.api.AuthDtos.AuthRefreshResponse;
import eu.erpdetachement.identity.domain.EmailAddress;
import eu.erpdetachement.identity.keycloak.KeycloakTokens;
import eu.erpdetachement.identity.keycloak.KeycloakUsers;
import eu.erpdetachement.identity.sessions.EndingSessions;
import eu.erpdetachement.identity.sessions.SignInFailures;
import eu.erpdetachement.identity.sessions.SignInOutcomes;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.revocation.CallerStateStore;
import eu.erpdetachement.platform.security.Caller;
import eu.erpdetachement.platform.problem.ProblemType;
import jakarta.validation.Valid;
import eu.erpdetachement.platform.logging.RequestLogContext;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Sessions: login, refresh, logout. */
@RestController
public class AuthController {

    private final KeycloakTokens tokens;
    private final KeycloakUsers users;
    private final EndingSessions sessions;
    private final CallerStateStore states;
    private final TransactionalOperator transaction;
    private final JsonMapper json;
    private final SignInOutcomes outcomes;
    private final SignInFailures failures;

    public AuthController(KeycloakTokens tokens, KeycloakUsers users, EndingSessions sessions, CallerStateStore states,
            TransactionalOperator transaction, JsonMapper json, SignInOutcomes outcomes, SignInFailures failures) {
        this.failures = failures;
        this.tokens = tokens;
        this.users = users;
        this.sessions = sessions;
        this.states = states;
        this.transaction = transaction;
        this.json = json;
        this.outcomes = outcomes;
    }

    @PostMapping(path = "/v1/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthLoginResponse> login(@Valid @RequestBody AuthLoginRequest request) {
        String email = EmailAddress.normalize(request.email()).orElseThrow();
        return tokens.passwordGrant(email, request.password())
                .doOnNext(t -> outcomes.succeeded())
                .onErrorResume(ProblemException.class, e -> Mono.deferContextual(context -> {
                    if (e.type() == ProblemType.INVALID_CREDENTIALS) {
                        RequestLogContext.inContext(context, outcomes::refused);
                        failures.recordInBackground(email, context);
                    }
                    return Mono.error(e);
                }))
                .map(t -> new AuthLoginResponse(t.accessToken(), t.refreshToken(), t.tokenType(), t.expiresIn()));
    }

    @PostMapping(path = "/v1/auth/refresh", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthRefreshResponse> refresh(@Valid @RequestBody AuthRefreshRequest request) {
        return tokens.refresh(request.refreshToken())
                .map(t -> new AuthRefreshResponse(t.accessToken(), t.refreshToken(), t.tokenType(), t.expiresIn()));
    }

    /**
     * Ends the session of the refresh token; without one, the session of the bearer access token
     * that came with the request (its {@code sid}), so an app that kept only the access token can sign out.
     * Either way the session's access tokens are refused from the next request on, by every service.
     */
    @PostMapping(path = "/v1/auth/logout", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthLogoutResponse> logout(@Valid @RequestBody AuthLogoutRequest request, ServerWebExchange exchange) {
        if (request.refreshToken() != null && !request.refreshToken().isBlank()) {
            // Keycloak checks the refresh token in the same transaction: a forged one records nothing
            return refreshTokenSession(request.refreshToken())
                    .map(session -> states.find(session.userId(), null)
                            .filter(state -> state.tenantId() != null)
                            .flatMap(state -> sessions.endOne(session.userId(), state.tenantId(), session.sessionId())))
                    .orElse(Mono.empty())
                    .then(tokens.logout(request.refreshToken()))
                    .as(transaction::transactional)
                    .thenReturn(new AuthLogoutResponse(true));
        }
        return exchange.getPrincipal()
                .ofType(JwtAuthenticationToken.class)
                .filter(auth -> auth.getToken().getClaimAsString("sid") != null)
                .switchIfEmpty(Mono.error(() -> ProblemException.validation("refresh_token",
                        "is required unless the request carries the session's bearer access token")))
                .flatMap(auth -> {
                    Caller caller = Caller.of(auth);
                    String sessionId = auth.getToken().getClaimAsString("sid");
                    return sessions.endOne(caller.userId(), caller.tenantId(), sessionId)
                            .then(Mono.fromRunnable(() -> users.endSession(sessionId))
                                    .subscribeOn(Schedulers.boundedElastic()))
                            .as(transaction::transactional);
                })
                .onErrorMap(e -> e instanceof jakarta.ws.rs.ProcessingException || e instanceof jakarta.ws.rs.WebApplicationException,
                        e -> new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE, "The identity provider is unavailable."))
                .thenReturn(new AuthLogoutResponse(true));
    }

    private record RefreshSession(UUID userId, String sessionId) {
    }

    /** The user and session a refresh token names (its claims, not yet checked: Keycloak does that). */
    private Optional<RefreshSession> refreshTokenSession(String refreshToken) {
        try {
            String[] parts = refreshToken.split("\\.");
            JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(parts[1]));
            String sid = claims.path("sid").asString(null);
            UUID sub = UUID.fromString(claims.path("sub").asString(""));
            return sid == null || sid.isBlank() || sid.length() > 64 ? Optional.empty() : Optional.of(new RefreshSession(sub, sid));
        } catch (RuntimeException notAJwt) {
            return Optional.empty(); // Keycloak answers it
        }
    }
}
