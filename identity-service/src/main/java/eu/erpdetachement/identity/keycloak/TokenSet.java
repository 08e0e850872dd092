package eu.erpdetachement.identity.keycloak;

/** Tokens Keycloak issued for a session. */
public record TokenSet(String accessToken, String refreshToken, String tokenType, long expiresIn) {
}
