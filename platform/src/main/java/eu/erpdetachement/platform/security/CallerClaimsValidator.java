package eu.erpdetachement.platform.security;

import java.util.UUID;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;

/** A token is only usable here if it names a user, a tenant and a known role, and is meant for this API. */
public class CallerClaimsValidator implements OAuth2TokenValidator<Jwt> {

    private final String audience;

    public CallerClaimsValidator(String audience) {
        this.audience = audience;
    }

    @Override
    public OAuth2TokenValidatorResult validate(Jwt jwt) {
        if (jwt.getAudience() == null || !jwt.getAudience().contains(audience)) {
            return invalid("The token is not meant for this API.");
        }
        if (!isUuid(jwt.getSubject()) || !isUuid(jwt.getClaimAsString(Caller.TENANT_ID))) {
            return invalid("The token has no valid subject or tenant.");
        }
        if (Role.fromWire(jwt.getClaimAsString(Caller.ROLE_TYPE)).isEmpty()) {
            return invalid("The token has no valid role.");
        }
        String worker = jwt.getClaimAsString(Caller.WORKER_ID);
        if (worker != null && !worker.isBlank() && !isUuid(worker)) {
            return invalid("The token has an invalid worker id.");
        }
        return OAuth2TokenValidatorResult.success();
    }

    private static OAuth2TokenValidatorResult invalid(String description) {
        return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
    }

    private static boolean isUuid(String value) {
        if (value == null) {
            return false;
        }
        try {
            UUID.fromString(value);
            return value.length() == 36;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
