package eu.erpdetachement.gateway.limits;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The edge's abuse limits (decision 0016), each "count/period".
 *
 * @param loginPerIp               sign-in attempts per client address
 * @param loginFailuresPerAccount  failed sign-ins per email address; checked before Keycloak's own lockout
 * @param resetPerAddress          password-reset requests (hence mails) per email address
 * @param resetPerIp               password-reset requests per client address (the client address:
 *                                 {@link eu.erpdetachement.gateway.edge.ClientAddresses}, erp.gateway.limits.trusted-proxies)
 */
@ConfigurationProperties("erp.gateway.limits")
public record AbuseLimitsProperties(String loginPerIp, String loginFailuresPerAccount, String resetPerAddress,
        String resetPerIp) {

    Limit loginIp() {
        return Limit.parse(loginPerIp);
    }

    Limit loginAccount() {
        return Limit.parse(loginFailuresPerAccount);
    }

    Limit resetAddress() {
        return Limit.parse(resetPerAddress);
    }

    Limit resetIp() {
        return Limit.parse(resetPerIp);
    }
}
