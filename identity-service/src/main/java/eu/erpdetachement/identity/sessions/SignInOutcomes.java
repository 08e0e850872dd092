package eu.erpdetachement.identity.sessions;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Counts sign-ins by outcome ({@code erp_identity_sign_ins_total{outcome}}), for the login-failure
 * alert (docs/operations.md), and logs each refusal: the line carries the request and trace ids, never
 * the address or the password.
 */
@Component
public class SignInOutcomes {

    private static final Logger log = LoggerFactory.getLogger(SignInOutcomes.class);

    private final Counter succeeded;
    private final Counter refused;

    public SignInOutcomes(MeterRegistry registry) {
        // both registered at start: the alert's ratio has a denominator before the first failure
        this.succeeded = counter(registry, "succeeded");
        this.refused = counter(registry, "refused");
    }

    private static Counter counter(MeterRegistry registry, String outcome) {
        return Counter.builder("erp.identity.sign.ins").tag("outcome", outcome)
                .description("Password sign-ins by outcome (refused: invalid email or password)").register(registry);
    }

    public void succeeded() {
        succeeded.increment();
    }

    public void refused() {
        refused.increment();
        log.info("Sign-in refused: invalid email or password");
    }
}
