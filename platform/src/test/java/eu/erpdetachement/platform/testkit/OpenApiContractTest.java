package eu.erpdetachement.platform.testkit;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OpenApiContractTest {

    private final OpenApiContract contract = OpenApiContract.load();
    private static final String ME = """
            {"user_id":"6f1c2b8e-0c1a-4f7e-9f5e-2d4c7a1b3e90","tenant_id":"11111111-1111-4111-8111-111111111111",
             "role_type":"tenant_admin","email":"admin@acme.test","is_active":true,"worker_id":null,"language":"fr"}""";

    @Test
    void accepts_a_response_that_follows_the_contract() {
        assertThatCode(() -> contract.assertResponse("GET", "/v1/me", 200, "application/json", ME)).doesNotThrowAnyException();
    }

    @Test
    void rejects_a_field_of_the_wrong_type() {
        assertThatThrownBy(() -> contract.assertResponse("GET", "/v1/me", 200, "application/json",
                ME.replace("\"is_active\":true", "\"is_active\":\"yes\""))).isInstanceOf(AssertionError.class)
                .hasMessageContaining("is_active");
    }

    @Test
    void rejects_a_missing_required_field() {
        assertThatThrownBy(() -> contract.assertResponse("GET", "/v1/me", 200, "application/json",
                ME.replace("\"email\":\"admin@acme.test\",", ""))).isInstanceOf(AssertionError.class);
    }

    @Test
    void rejects_a_uuid_that_is_not_one() {
        assertThatThrownBy(() -> contract.assertResponse("GET", "/v1/me", 200, "application/json",
                ME.replace("6f1c2b8e-0c1a-4f7e-9f5e-2d4c7a1b3e90", "42"))).isInstanceOf(AssertionError.class);
    }

    @Test
    void rejects_an_undocumented_status() {
        assertThatThrownBy(() -> contract.assertResponse("GET", "/v1/me", 418, "application/json", "{}"))
                .isInstanceOf(AssertionError.class).hasMessageContaining("418");
    }

    @Test
    void rejects_an_undocumented_content_type() {
        assertThatThrownBy(() -> contract.assertResponse("GET", "/v1/me", 200, "text/html", "<html/>"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void a_documented_text_body_is_held_to_its_schema_as_text() {
        String timesheet = "/v1/workers/6f1c2b8e-0c1a-4f7e-9f5e-2d4c7a1b3e90/timesheet?from=2026-11-01&to=2026-11-30";
        assertThatCode(() -> contract.assertResponse("GET", timesheet, 200, "text/csv;charset=UTF-8", "date,mission_id\r\n"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.assertResponse("GET", timesheet, 200, "application/json", "date,mission_id\r\n"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void a_problem_must_be_a_problem() {
        assertThatCode(() -> contract.assertResponse("GET", "/v1/me", 401, "application/problem+json",
                "{\"type\":\"https://erp-detachement.eu/problems/unauthenticated\",\"title\":\"t\",\"status\":401}"))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> contract.assertResponse("GET", "/v1/me", 401, "application/problem+json", "{\"error\":\"x\"}"))
                .isInstanceOf(AssertionError.class);
    }

    @Test
    void an_action_suffix_matches_its_own_operation() {
        org.assertj.core.api.Assertions.assertThat(contract.templateOf("/v1/files/6f1c2b8e-0c1a-4f7e-9f5e-2d4c7a1b3e90:link"))
                .isEqualTo("/v1/files/{file_id}:link");
        org.assertj.core.api.Assertions.assertThat(contract.templateOf("/v1/files/6f1c2b8e-0c1a-4f7e-9f5e-2d4c7a1b3e90"))
                .isEqualTo("/v1/files/{file_id}");
        org.assertj.core.api.Assertions.assertThat(contract.templateOf("/v1/missions/m/worker-check-events:verify?worker_id=w"))
                .isEqualTo("/v1/missions/{mission_id}/worker-check-events:verify");
    }

    @Test
    void rejects_an_unknown_field_in_a_request() {
        assertThatThrownBy(() -> contract.assertRequest("POST", "/v1/auth/login", "application/json",
                "{\"email\":\"a@b.test\",\"password\":\"x\",\"tenant_id\":\"t\"}")).isInstanceOf(AssertionError.class);
        assertThatCode(() -> contract.assertRequest("POST", "/v1/auth/login", "application/json",
                "{\"email\":\"a@b.test\",\"password\":\"x\"}")).doesNotThrowAnyException();
    }
}
