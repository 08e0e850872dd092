package eu.erpdetachement.platform.security;

import java.util.Optional;
import java.util.UUID;

import org.springframework.security.oauth2.jwt.Jwt;

/**
 * Who is calling, as the access token says. The tenant comes from here only, never from a request
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

    public boolean is(Role other) {
        return role == other;
    }
}
