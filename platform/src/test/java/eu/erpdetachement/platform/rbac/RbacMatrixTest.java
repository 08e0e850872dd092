package eu.erpdetachement.platform.rbac;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import eu.erpdetachement.platform.security.Role;

class RbacMatrixTest {

    private static final String YAML = """
            roles: [tenant_admin, manager, compliance_officer, worker]
            routes:
              - operation: login
                method: POST
                path: /v1/auth/login
                authentication: none
              - operation: linkFile
                method: POST
                path: /v1/files/{file_id}:link
                authentication: bearer
                access: {tenant_admin: allow, manager: allow, compliance_officer: allow, worker: own_files}
              - operation: getCheckEvent
                method: GET
                path: /v1/missions/{mission_id}/worker-check-events/{check_event_id}
                access: {tenant_admin: allow, manager: allow, compliance_officer: allow, worker: own_worker_id}
              - operation: verifyChain
                method: GET
                path: /v1/missions/{mission_id}/worker-check-events:verify
                access: {tenant_admin: allow, manager: deny, compliance_officer: allow, worker: deny}
            """;

    private final RbacMatrix matrix = RbacMatrix.parse(new ByteArrayInputStream(YAML.getBytes(StandardCharsets.UTF_8)));

    @Test
    void matches_an_action_suffix_after_a_path_variable() {
        assertThat(matrix.match(HttpMethod.POST, "/v1/files/6f1c2b8e-0c1a-4f7e-9f5e-2d4c7a1b3e90:link"))
                .map(RbacRoute::operation).contains("linkFile");
    }

    @Test
    void distinguishes_routes_by_method() {
        assertThat(matrix.match(HttpMethod.GET, "/v1/files/abc:link")).isEmpty();
    }

    @Test
    void reads_conditional_cells_per_role() {
        RbacRoute link = matrix.route("linkFile");
        assertThat(link.accessFor(Role.WORKER)).isEqualTo(Access.OWN_FILES);
        assertThat(link.accessFor(Role.MANAGER)).isEqualTo(Access.ALLOW);
    }

    @Test
    void a_role_missing_from_a_row_is_denied() {
        RbacRoute verify = matrix.route("verifyChain");
        assertThat(verify.accessFor(Role.MANAGER)).isEqualTo(Access.DENY);
    }

    @Test
    void an_action_on_a_collection_is_not_taken_for_an_item() {
        assertThat(matrix.match(HttpMethod.GET, "/v1/missions/m1/worker-check-events:verify"))
                .map(RbacRoute::operation).contains("verifyChain");
        assertThat(matrix.match(HttpMethod.GET, "/v1/missions/m1/worker-check-events/e1"))
                .map(RbacRoute::operation).contains("getCheckEvent");
    }

    @Test
    void anonymous_routes_do_not_require_a_token() {
        assertThat(matrix.routesWithoutRequiredToken()).extracting(RbacRoute::operation).containsExactly("login");
    }
}
