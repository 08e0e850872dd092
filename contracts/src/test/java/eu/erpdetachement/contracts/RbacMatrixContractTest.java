package eu.erpdetachement.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/** rbac.yaml decides every operation of openapi.yaml, and nothing else. */
class RbacMatrixContractTest {

    private static final List<String> ROLES = List.of("tenant_admin", "manager", "compliance_officer", "worker");
    private static final Set<String> CELLS = Set.of("allow", "deny", "self", "own_files", "own_worker_id");
    private final JsonNode openapi = Contracts.yaml("openapi.yaml");
    private final JsonNode rbac = Contracts.yaml("rbac.yaml");

    @Test
    void names_the_four_roles() {
        assertThat(rbac.get("roles").valueStream().map(JsonNode::asString).toList()).isEqualTo(ROLES);
    }

    @Test
    void covers_exactly_the_operations_of_the_contract() {
        Set<String> documented = new TreeSet<>();
        for (String path : openapi.get("paths").propertyNames()) {
            for (String method : openapi.get("paths").get(path).propertyNames()) {
                documented.add(openapi.get("paths").get(path).get(method).get("operationId").asString()
                        + " " + method.toUpperCase() + " " + path);
            }
        }
        Set<String> decided = new TreeSet<>();
        rbac.get("routes").forEach(r -> decided.add(r.get("operation").asString() + " " + r.get("method").asString()
                + " " + r.get("path").asString()));
        assertThat(decided).isEqualTo(documented);
    }

    @Test
    void every_protected_route_has_a_valid_cell_for_every_role() {
        for (JsonNode route : rbac.get("routes")) {
            String authentication = route.path("authentication").asString("bearer");
            assertThat(authentication).isIn("none", "bearer", "bearer_or_refresh_token");
            if (!authentication.equals("bearer")) {
                assertThat(route.has("access")).as(route.get("operation").asString() + " is anonymous").isFalse();
                continue;
            }
            for (String role : ROLES) {
                assertThat(route.path("access").path(role).asString(null)).as(route.get("operation") + " / " + role)
                        .isIn(CELLS);
            }
        }
    }

    @Test
    void anonymous_routes_are_anonymous_in_the_contract_too() {
        for (JsonNode route : rbac.get("routes")) {
            JsonNode operation = openapi.get("paths").get(route.get("path").asString())
                    .get(route.get("method").asString().toLowerCase());
            boolean anonymousInContract = operation.has("security") && operation.get("security").valueStream()
                    .anyMatch(JsonNode::isEmpty) || operation.has("security") && operation.get("security").isEmpty();
            assertThat(anonymousInContract).as(route.get("operation").asString())
                    .isEqualTo(!route.path("authentication").asString("bearer").equals("bearer"));
        }
    }
}
