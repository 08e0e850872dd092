package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;

/** Sign in, ask who I am, and be refused without a token — through the gateway, on the real stack. */
@ExtendWith(EmbeddedStack.class)
class WalkingSkeletonIT {

    private final Api api = EmbeddedStack.gateway();

    @Test
    void seeded_admin_signs_in_and_gets_the_contract_login_response() {
        Api.Reply reply = api.postJson("/v1/auth/login", null, EmbeddedStack.ACME_ADMIN.credentials());

        assertThat(reply.status()).isEqualTo(200);
        JsonNode body = reply.json();
        assertThat(body.get("access_token").asString()).isNotBlank();
        assertThat(body.get("refresh_token").asString()).isNotBlank();
        assertThat(body.get("token_type").asString()).isEqualTo("Bearer");
        // the realm's 300 s lifespan, counted by Keycloak from its own clock: 299 when a second ticks over
        assertThat(body.get("expires_in").asInt()).isBetween(298, 300);
    }

    @Test
    void me_with_the_token_returns_the_signed_in_profile() {
        String token = EmbeddedStack.ACME_ADMIN.signIn(api);

        Api.Reply reply = api.get("/v1/me", token);

        assertThat(reply.status()).isEqualTo(200);
        JsonNode me = reply.json();
        assertThat(me.get("tenant_id").asString()).isEqualTo(EmbeddedStack.ACME_ADMIN.tenantId());
        assertThat(me.get("email").asString()).isEqualTo(EmbeddedStack.ACME_ADMIN.email());
        assertThat(me.get("role_type").asString()).isEqualTo("tenant_admin");
        assertThat(me.get("is_active").asBoolean()).isTrue();
        assertThat(me.get("user_id").asString()).hasSize(36);
    }

    @Test
    void each_tenant_sees_its_own_admin() {
        String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);

        JsonNode me = api.get("/v1/me", globex).json();

        assertThat(me.get("tenant_id").asString()).isEqualTo(EmbeddedStack.GLOBEX_ADMIN.tenantId());
        assertThat(me.get("email").asString()).isEqualTo(EmbeddedStack.GLOBEX_ADMIN.email());
    }

    @Test
    void me_without_a_token_is_a_401_problem() {
        Api.Reply reply = api.get("/v1/me", null);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        assertThat(reply.json().get("status").asInt()).isEqualTo(401);
        assertThat(reply.header("WWW-Authenticate")).startsWith("Bearer");
    }

    @Test
    void a_forged_token_is_a_401_problem() {
        String forged = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMiLCJ0ZW5hbnRfaWQiOiIxMTExMTExMS0xMTExLTQxMTEtODExMS0xMTExMTExMTExMTEiLCJyb2xlX3R5cGUiOiJ0ZW5hbnRfYWRtaW4ifQ.c2lnbmF0dXJl";

        Api.Reply reply = api.get("/v1/me", forged);

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.contentType()).startsWith("application/problem+json");
    }

    @Test
    void a_wrong_password_and_an_unknown_email_get_the_same_401_problem() {
        // a throwaway account: after a failure Keycloak refuses that account's next sign-in within a
        // second (quick-login lockout), which would hit whichever test signs in the shared admins next
        Members.Member member = Members.invite(api, EmbeddedStack.ACME_ADMIN.signIn(api), "worker",
                Members.uniqueEmail("skeleton"));
        Api.Reply wrongPassword = api.postJson("/v1/auth/login", null,
                Map.of("email", member.email(), "password", "Not-The-Password-1!"));
        Api.Reply unknownEmail = api.postJson("/v1/auth/login", null,
                // unique: failed sign-ins per address are limited at the gateway, and the stack's data outlives a run
                Map.of("email", Members.uniqueEmail("nobody"), "password", "Not-The-Password-1!"));

        assertThat(wrongPassword.status()).isEqualTo(401);
        assertThat(unknownEmail.status()).isEqualTo(401);
        assertThat(wrongPassword.json().get("type")).isEqualTo(unknownEmail.json().get("type"));
        assertThat(wrongPassword.json().get("detail")).isEqualTo(unknownEmail.json().get("detail"));
    }

    @Test
    void malformed_json_is_a_400_problem_and_an_unknown_field_a_422() {
        Api.Reply malformed = api.post("/v1/auth/login", null, "application/json", "{\"email\": ", Map.of());
        Api.Reply unknownField = api.post("/v1/auth/login", null, "application/json",
                "{\"email\":\"a@b.test\",\"password\":\"x\",\"tenant_id\":\"11111111-1111-4111-8111-111111111111\"}", Map.of());

        assertThat(malformed.status()).isEqualTo(400);
        assertThat(malformed.contentType()).startsWith("application/problem+json");
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.json().get("errors").get(0).get("field").asString()).isEqualTo("tenant_id");
    }

    @Test
    void the_gateway_echoes_a_request_id_or_makes_one() {
        Api.Reply given = api.raw(api.request("/v1/me", null, Map.of("X-Request-Id", "trace-me-42")).GET());
        Api.Reply made = api.raw(api.request("/v1/me", null, Map.of()).GET());

        assertThat(given.header("X-Request-Id")).isEqualTo("trace-me-42");
        assertThat(made.header("X-Request-Id")).isNotBlank();
    }

    @Test
    void the_gateway_serves_the_contract_it_is_tested_against() {
        Api.Reply document = api.raw(api.request("/openapi.yaml", null, Map.of()).GET());

        assertThat(document.status()).isEqualTo(200);
        assertThat(document.body()).contains("openapi: 3.1").contains("/v1/missions/{mission_id}/worker-check-events");
    }
}
