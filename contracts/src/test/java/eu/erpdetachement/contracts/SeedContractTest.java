package eu.erpdetachement.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * The V1.2 draft's routes and schema fields are binding. This is the golden copy of them (from
 * shared/spec/openapi-v1.2-patch.md): the contract must keep every route and exactly these fields;
 * anything it adds must be marked x-extension.
 */
class SeedContractTest {

    static final List<String> SEED_ROUTES = List.of(
            "POST /v1/auth/login", "POST /v1/auth/logout", "POST /v1/auth/refresh",
            "POST /v1/auth/password-reset/request", "POST /v1/auth/password-reset/confirm",
            "GET /v1/me", "GET /v1/users", "POST /v1/users", "PATCH /v1/users/{user_id}",
            "PATCH /v1/users/{user_id}/status", "PATCH /v1/users/{user_id}/role",
            "GET /v1/tenant-settings", "PATCH /v1/tenant-settings",
            "POST /v1/files", "POST /v1/files/{file_id}:link",
            "POST /v1/missions/{mission_id}/worker-check-events");

    static final Map<String, List<String>> SEED_SCHEMAS = new LinkedHashMap<>();

    static {
        SEED_SCHEMAS.put("AuthLoginRequest", List.of("email", "password"));
        SEED_SCHEMAS.put("AuthLoginResponse", List.of("access_token", "refresh_token", "token_type", "expires_in"));
        SEED_SCHEMAS.put("AuthLogoutRequest", List.of("refresh_token"));
        SEED_SCHEMAS.put("AuthLogoutResponse", List.of("success"));
        SEED_SCHEMAS.put("AuthRefreshRequest", List.of("refresh_token"));
        SEED_SCHEMAS.put("AuthRefreshResponse", List.of("access_token", "refresh_token", "token_type", "expires_in"));
        SEED_SCHEMAS.put("PasswordResetRequestCreate", List.of("email"));
        SEED_SCHEMAS.put("PasswordResetRequestCreated", List.of("status"));
        SEED_SCHEMAS.put("PasswordResetConfirmRequest", List.of("token", "new_password"));
        SEED_SCHEMAS.put("PasswordResetConfirmResponse", List.of("status"));
        SEED_SCHEMAS.put("MeResponse", List.of("user_id", "tenant_id", "role_type", "email", "is_active"));
        SEED_SCHEMAS.put("UserListItem", List.of("user_id", "tenant_id", "role_type", "email", "is_active"));
        SEED_SCHEMAS.put("UserListResponse", List.of("items", "next_cursor"));
        SEED_SCHEMAS.put("UserCreateRequest", List.of("email", "role_type", "is_active"));
        SEED_SCHEMAS.put("UserCreateResponse", List.of("user_id", "tenant_id"));
        SEED_SCHEMAS.put("UserUpdateRequest", List.of("email", "language"));
        SEED_SCHEMAS.put("UserUpdateResponse", List.of("user_id", "updated_at"));
        SEED_SCHEMAS.put("UserStatusPatchRequest", List.of("is_active"));
        SEED_SCHEMAS.put("UserStatusPatchResponse", List.of("user_id", "is_active"));
        SEED_SCHEMAS.put("UserRolePatchRequest", List.of("role_type"));
        SEED_SCHEMAS.put("UserRolePatchResponse", List.of("user_id", "role_type"));
        SEED_SCHEMAS.put("TenantSettingsResponse", List.of("tenant_id", "settings"));
        SEED_SCHEMAS.put("TenantSettingsPatchRequest", List.of("settings"));
        SEED_SCHEMAS.put("TenantSettingsPatchResponse", List.of("tenant_id", "settings"));
        SEED_SCHEMAS.put("FileUploadRequest", List.of("storage_provider", "bucket", "path", "filename", "mime_type",
                "size_bytes", "sha256_hash"));
        SEED_SCHEMAS.put("FileUploadResponse", List.of("file_id", "tenant_id", "created_at"));
        SEED_SCHEMAS.put("FileLinkRequest", List.of("entity_type", "entity_id", "purpose"));
        SEED_SCHEMAS.put("FileLinkResponse", List.of("file_link_id", "file_id"));
        SEED_SCHEMAS.put("WorkerCheckEventCreateRequest", List.of("worker_id", "event_type", "occurred_at", "source", "metadata"));
        SEED_SCHEMAS.put("WorkerCheckEventCreateResponse", List.of("check_event_id", "mission_id", "worker_id", "event_type"));
    }

    private final JsonNode document = Contracts.yaml("openapi.yaml");

    @Test
    void every_seed_route_is_in_the_contract() {
        List<String> missing = new ArrayList<>();
        for (String route : SEED_ROUTES) {
            String[] parts = route.split(" ");
            if (document.path("paths").path(parts[1]).get(parts[0].toLowerCase()) == null) {
                missing.add(route);
            }
        }
        assertThat(missing).isEmpty();
    }

    @Test
    void every_seed_schema_has_exactly_the_seed_fields_plus_marked_extensions() {
        for (var seed : SEED_SCHEMAS.entrySet()) {
            JsonNode schema = document.path("components").path("schemas").get(seed.getKey());
            assertThat(schema).as(seed.getKey()).isNotNull();
            Set<String> fields = new TreeSet<>(schema.get("properties").propertyNames());
            assertThat(fields).as(seed.getKey() + " keeps every seed field").containsAll(seed.getValue());
            for (String field : fields) {
                if (!seed.getValue().contains(field)) {
                    assertThat(schema.get("properties").get(field).path("x-extension").asBoolean(false))
                            .as(seed.getKey() + "." + field + " is an extension and must say so").isTrue();
                }
            }
        }
    }

    @Test
    void seed_types_are_kept() {
        JsonNode schemas = document.path("components").path("schemas");
        assertThat(schemas.at("/MeResponse/properties/user_id/format").asString()).isEqualTo("uuid");
        assertThat(schemas.at("/MeResponse/properties/is_active/type").asString()).isEqualTo("boolean");
        assertThat(schemas.at("/AuthLoginResponse/properties/expires_in/type").asString()).isEqualTo("integer");
        assertThat(schemas.at("/FileUploadRequest/properties/size_bytes/type").asString()).isEqualTo("integer");
        assertThat(schemas.at("/FileUploadResponse/properties/created_at/format").asString()).isEqualTo("date-time");
        assertThat(schemas.at("/UserUpdateResponse/properties/updated_at/format").asString()).isEqualTo("date-time");
        assertThat(schemas.at("/WorkerCheckEventCreateRequest/properties/event_type/enum").toString())
                .isEqualTo("[\"check_in\",\"check_out\"]");
        assertThat(schemas.at("/WorkerCheckEventCreateRequest/properties/metadata/type").asString()).isEqualTo("object");
        assertThat(schemas.at("/TenantSettingsResponse/properties/settings/type").asString()).isEqualTo("object");
        assertThat(schemas.at("/UserListResponse/properties/items/type").asString()).isEqualTo("array");
    }

    @Test
    void routes_beyond_the_seed_are_marked_extensions() {
        for (String path : document.get("paths").propertyNames()) {
            for (String method : document.get("paths").get(path).propertyNames()) {
                if (!SEED_ROUTES.contains(method.toUpperCase() + " " + path)) {
                    assertThat(document.get("paths").get(path).get(method).path("x-extension").asBoolean(false))
                            .as(method.toUpperCase() + " " + path).isTrue();
                }
            }
        }
    }
}
