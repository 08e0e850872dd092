package eu.erpdetachement.identity.api;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.identity.api.AuthDtos.AuthLoginRequest;
import eu.erpdetachement.identity.api.AuthDtos.AuthLoginResponse;
import eu.erpdetachement.identity.api.AuthDtos.AuthLogoutRequest;
import eu.erpdetachement.identity.api.AuthDtos.AuthLogoutResponse;
import eu.erpdetachement.identity.api.AuthDtos.AuthRefreshRequest;
import eu.erpdetachement.identity.api.AuthDtos.AuthRefreshResponse;
import eu.erpdetachement.identity.keycloak.KeycloakTokens;
import eu.erpdetachement.platform.problem.ProblemException;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

/** Sessions: login, refresh, logout. */
@RestController
public class AuthController {

    private final KeycloakTokens tokens;

    public AuthController(KeycloakTokens tokens) {
        this.tokens = tokens;
    }

    @PostMapping(path = "/v1/auth/login", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthLoginResponse> login(@Valid @RequestBody AuthLoginRequest request) {
        return tokens.passwordGrant(request.email(), request.password())
                .map(t -> new AuthLoginResponse(t.accessToken(), t.refreshToken(), t.tokenType(), t.expiresIn()));
    }

    @PostMapping(path = "/v1/auth/refresh", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthRefreshResponse> refresh(@Valid @RequestBody AuthRefreshRequest request) {
        return tokens.refresh(request.refreshToken())
                .map(t -> new AuthRefreshResponse(t.accessToken(), t.refreshToken(), t.tokenType(), t.expiresIn()));
    }

    @PostMapping(path = "/v1/auth/logout", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<AuthLogoutResponse> logout(@Valid @RequestBody AuthLogoutRequest request) {
        if (request.refreshToken() == null || request.refreshToken().isBlank()) {
            return Mono.error(ProblemException.validation("refresh_token", "required to end the session"));
        }
        return tokens.logout(request.refreshToken()).thenReturn(new AuthLogoutResponse(true));
    }
}
