package eu.erpdetachement.identity.api;

import org.springframework.http.MediaType;
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
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/** Sessions: login, refresh, logout. */
@RestController
public class AuthController {

    private final KeycloakTokens tokens;
    private final KeycloakUsers users;

    public AuthController(KeycloakTokens tokens, KeycloakUsers users) {
        this.tokens = tokens;
        this.users = users;
    }

    @PostMapping(path = "/v1/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthLoginResponse> login(@Valid @RequestBody AuthLoginRequest request) {
        return tokens.passwordGrant(EmailAddress.normalize(request.email()).orElseThrow(), request.password())
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
     */
    @PostMapping(path = "/v1/auth/logout", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthLogoutResponse> logout(@Valid @RequestBody AuthLogoutRequest request, ServerWebExchange exchange) {
        if (request.refreshToken() != null && !request.refreshToken().isBlank()) {
            return tokens.logout(request.refreshToken()).thenReturn(new AuthLogoutResponse(true));
        }
        return exchange.getPrincipal()
                .ofType(JwtAuthenticationToken.class)
                .mapNotNull(auth -> auth.getToken().getClaimAsString("sid"))
                .switchIfEmpty(Mono.error(() -> ProblemException.validation("refresh_token",
                        "is required unless the request carries the session's bearer access token")))
                .flatMap(sessionId -> Mono.fromRunnable(() -> users.endSession(sessionId))
                        .subscribeOn(Schedulers.boundedElastic()))
                .onErrorMap(e -> e instanceof jakarta.ws.rs.ProcessingException || e instanceof jakarta.ws.rs.WebApplicationException,
                        e -> new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE, "The identity provider is unavailable."))
                .thenReturn(new AuthLogoutResponse(true));
    }
}
