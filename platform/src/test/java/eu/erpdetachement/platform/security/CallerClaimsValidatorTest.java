package eu.erpdetachement.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;

class CallerClaimsValidatorTest {

    private final CallerClaimsValidator validator = new CallerClaimsValidator("erp-api");

    private static Jwt token(Consumer<Jwt.Builder> change) {
        Jwt.Builder builder = Jwt.withTokenValue("t").header("alg", "RS256")
                .subject(UUID.randomUUID().toString())
                .audience(List.of("erp-api", "account"))
                .claim("tenant_id", UUID.randomUUID().toString())
                .claim("role_type", "manager")
                .issuedAt(Instant.now()).expiresAt(Instant.now().plusSeconds(300));
        change.accept(builder);
        return builder.build();
    }

    @Test
    void accepts_a_token_with_user_tenant_and_role_for_this_api() {
        assertThat(validator.validate(token(b -> { })).hasErrors()).isFalse();
    }

    @Test
    void rejects_a_token_meant_for_another_audience() {
        assertThat(validator.validate(token(b -> b.audience(List.of("account")))).hasErrors()).isTrue();
    }

    @Test
    void rejects_a_token_without_tenant() {
        assertThat(validator.validate(token(b -> b.claims(c -> c.remove("tenant_id")))).hasErrors()).isTrue();
    }

    @Test
    void rejects_a_tenant_that_is_not_a_uuid() {
        assertThat(validator.validate(token(b -> b.claim("tenant_id", "acme"))).hasErrors()).isTrue();
    }

    @Test
    void rejects_an_unknown_role() {
        assertThat(validator.validate(token(b -> b.claim("role_type", "superuser"))).hasErrors()).isTrue();
    }

    @Test
    void rejects_a_worker_id_that_is_not_a_uuid() {
        assertThat(validator.validate(token(b -> b.claim("worker_id", "42"))).hasErrors()).isTrue();
    }

    @Test
    void reads_the_caller_from_a_valid_token() {
        UUID worker = UUID.randomUUID();
        Jwt jwt = token(b -> b.claim("worker_id", worker.toString()).claim("role_type", "worker"));
        Caller caller = Caller.from(jwt);
        assertThat(caller.role()).isEqualTo(Role.WORKER);
        assertThat(caller.workerId()).contains(worker);
        assertThat(caller.tenantId().toString()).isEqualTo(jwt.getClaimAsString("tenant_id"));
    }
}
