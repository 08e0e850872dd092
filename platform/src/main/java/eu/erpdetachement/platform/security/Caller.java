package eu.erpdetachement.platform.security;

import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Who is calling: the user and tenant as the access token says, the role and worker id as the
 * service knows them now ({@link CallerAuthenticationConverter}). The tenant comes from here only, never from a request
 * body or path: every query a service runs is scoped by {@link #tenantId()}.
 */
public record Caller(UUID userId, UUID tenantId, Role role, Optional<UUID> workerId, String email, String token) {

    public static final String TENANT_ID = "tenant_id";
    public static final String ROLE_TYPE = "role_type";
    public static final String WORKER_ID = "worker_id";

    /** Reads a token whose claims were checked by {@link CallerClaimsValidator}. */
    public static Caller from(Jwt jwt) {
        String worker = jwt.getClaimAsString(WORKER_ID);
        return new Caller(
                UUID.fromString(jwt.getSubject()),
                UUID.fromString(jwt.getClaimAsString(TENANT_ID)),
                Role.fromWire(jwt.getClaimAsString(ROLE_TYPE)).orElseThrow(),
                worker == null || worker.isBlank() ? Optional.empty() : Optional.of(UUID.fromString(worker)),
                jwt.getClaimAsString("email"),
                jwt.getTokenValue());
    }

    /**
     * The caller of an authenticated request: the one the converter settled on, or the token's
     * claims where no caller state is kept (the gateway); null without a bearer token.
     */
    public static Caller of(Authentication authentication) {
        if (authentication instanceof CallerAuthentication known) {
            return known.caller();
        }
        return authentication instanceof JwtAuthenticationToken jwt ? from(jwt.getToken()) : null;
    }

    /** The same caller with the rights the service knows now instead of those in the token. */
    public Caller withAccess(Role currentRole, Optional<UUID> currentWorkerId) {
        return new Caller(userId, tenantId, currentRole, currentWorkerId, email, token);
    }

    public boolean is(Role other) {
        return role == other;
    }
}
