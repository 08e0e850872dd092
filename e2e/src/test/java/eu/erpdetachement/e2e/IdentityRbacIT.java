package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Walks every cell of contracts/rbac.yaml for the identity routes with a real member of each role,
 * plus the anonymous caller (401) and another tenant's admin on this tenant's ids (404). The
 * expected answer of each cell comes from the matrix, not from this test.
 */
@ExtendWith(EmbeddedStack.class)
class IdentityRbacIT {

    private static final Set<String> IDENTITY_ROUTES = Set.of("getMe", "listUsers", "createUser", "updateUser",
            "patchUserStatus", "patchUserRole", "getTenantSettings", "patchTenantSettings");

    private static final Api api = EmbeddedStack.gateway();
    private static final Map<String, Members.Member> members = new LinkedHashMap<>();
    private static final Map<String, String> tokens = new LinkedHashMap<>();
    /** A worker every call about "another user" is aimed at. */
    private static Members.Member target;

    /** How to call an operation as {@code token} on a user ({@code self} or {@link #target}). */
    private record Call(String operation, BiFunction<String, String, Api.Reply> send) {
    }

    @BeforeAll
    static void team() {
        Members.Team team = Members.team(api, "rbac");
        members.putAll(team.members());
        tokens.putAll(team.tokens());
        target = Members.invite(api, tokens.get("tenant_admin"), "worker", Members.uniqueEmail("rbac-target"));
    }

    @TestFactory
    List<DynamicTest> every_cell_of_the_matrix_for_the_identity_routes() {
        List<DynamicTest> cells = new ArrayList<>();
        for (JsonNode route : RbacRows.of(IDENTITY_ROUTES)) {
            String operation = route.get("operation").asString();
            Call call = call(operation);
            cells.add(DynamicTest.dynamicTest(operation + " anonymous → 401", () ->
                    assertThat(call.send().apply(null, target.userId()).status()).isEqualTo(401)));
            for (var cell : route.get("access").properties()) {
                String role = cell.getKey();
                String access = cell.getValue().asString();
                cells.add(DynamicTest.dynamicTest(operation + " as " + role + " (" + access + ")", () -> {
                    String token = tokens.get(role);
                    int onOther = call.send().apply(token, target.userId()).status();
                    switch (access) {
                        case "allow" -> assertThat(onOther).as("allowed").isBetween(200, 299);
                        case "deny" -> assertThat(onOther).as("denied").isEqualTo(403);
                        case "self" -> {
                            assertThat(onOther).as("someone else").isEqualTo(403);
                            assertThat(call.send().apply(token, members.get(role).userId()).status()).as("self").isBetween(200, 299);
                        }
                        default -> throw new AssertionError("No identity route has access " + access);
                    }
                }));
            }
        }
        String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
        for (String operation : List.of("updateUser", "patchUserStatus", "patchUserRole")) {
            cells.add(DynamicTest.dynamicTest(operation + " on another tenant's user → 404", () ->
                    assertThat(call(operation).send().apply(globex, target.userId()).status()).isEqualTo(404)));
        }
        assertThat(cells).hasSizeGreaterThan(IDENTITY_ROUTES.size() * 5);
        return cells;
    }

    /** Each call is harmless when allowed: it sets what is already there, or adds a new user. */
    private static Call call(String operation) {
        return switch (operation) {
            case "getMe" -> new Call(operation, (token, user) -> api.get("/v1/me", token));
            case "listUsers" -> new Call(operation, (token, user) -> api.get("/v1/users?limit=5", token));
            case "createUser" -> new Call(operation, (token, user) -> Members.create(api, token,
                    Members.uniqueEmail("rbac-created"), "worker", true, "en"));
            case "updateUser" -> new Call(operation, (token, user) -> api.patchJson("/v1/users/" + user, token,
                    Map.of("language", "en"), Map.of()));
            case "patchUserStatus" -> new Call(operation, (token, user) -> api.patchJson("/v1/users/" + user + "/status",
                    token, Map.of("is_active", true), Map.of()));
            case "patchUserRole" -> new Call(operation, (token, user) -> api.patchJson("/v1/users/" + user + "/role",
                    token, Map.of("role_type", "worker"), Map.of()));
            case "getTenantSettings" -> new Call(operation, (token, user) -> api.get("/v1/tenant-settings", token));
            case "patchTenantSettings" -> new Call(operation, (token, user) -> {
                String admin = tokens.get("tenant_admin");
                Api.Reply current = api.get("/v1/tenant-settings", admin);
                ObjectNode patch = Api.JSON.createObjectNode();
                patch.putObject("settings").put("locale", current.json().get("settings").path("locale").asString("fr-FR"));
                return api.patchJson("/v1/tenant-settings", token, patch, Map.of("If-Match", current.header("ETag")));
            });
            default -> throw new AssertionError("No call for " + operation);
        };
    }
}
