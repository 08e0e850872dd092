package eu.erpdetachement.identity.api;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** Request and response bodies of /v1/auth/*, field for field as in contracts/openapi.yaml. */
public final class AuthDtos {

    private AuthDtos() {
    }

    public record AuthLoginRequest(
            @NotBlank @ValidEmail @Size(max = 320) String email,
            @NotBlank @Size(max = 256) String password) {
    }

    public record AuthLoginResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    public record AuthRefreshRequest(@NotBlank @Size(max = 8192) String refreshToken) {
    }

    public record AuthRefreshResponse(String accessToken, String refreshToken, String tokenType, long expiresIn) {
    }

    public record AuthLogoutRequest(@Size(max = 8192) String refreshToken) {
    }

    public record AuthLogoutResponse(boolean success) {
    }
}
