package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import tools.jackson.databind.node.ObjectNode;

/**
 * The files and check-in services learn a tenant's settings from TenantSettingsUpdated on Kafka
 * (their local projections), and fall back to the defaults when a key is removed. Uses tenant
 * globex, whose settings no other test depends on.
 */
@ExtendWith(EmbeddedStack.class)
class TenantSettingsProjectionIT {

    private final Api api = EmbeddedStack.gateway();

    @Test
    void file_limit_and_backdating_window_follow_the_tenant_settings() {
        String globex = EmbeddedStack.GLOBEX_ADMIN.signIn(api);
        assertThat(registerFile(globex, 2000)).as("default limit: 25 MiB").isEqualTo(201);
        assertThat(checkIn(globex, Duration.ofHours(2))).as("default window: 72 h").isEqualTo(201);

        patch(globex, 1000L, 1L);
        try {
            await("the files service to learn the new limit").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> registerFile(globex, 2000) == 422);
            assertThat(registerFile(globex, 1000)).isEqualTo(201);
            await("the check-in service to learn the new window").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> checkIn(globex, Duration.ofHours(2)) == 422);
            assertThat(checkIn(globex, Duration.ofMinutes(30))).isEqualTo(201);
        } finally {
            patch(globex, null, null); // merge patch null: back to the defaults
        }
        await("the defaults to apply again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> registerFile(globex, 2000) == 201 && checkIn(globex, Duration.ofHours(2)) == 201);
    }

    private void patch(String token, Long maxFileSize, Long windowHours) {
        Api.Reply current = api.get("/v1/tenant-settings", token);
        ObjectNode body = Api.JSON.createObjectNode();
        ObjectNode settings = body.putObject("settings");
        if (maxFileSize == null) {
            settings.putNull("file_max_size_bytes");
            settings.putNull("checkin_backdating_window_hours");
        } else {
            settings.put("file_max_size_bytes", maxFileSize);
            settings.put("checkin_backdating_window_hours", windowHours);
        }
        Api.Reply patched = api.patchJson("/v1/tenant-settings", token, body, Map.of("If-Match", current.header("ETag")));
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    }

    private int registerFile(String token, long size) {
        return api.postJson("/v1/files", token, FilesIT.registration("projection/" + UUID.randomUUID() + ".pdf", "f.pdf",
                "application/pdf", size, "f".repeat(64))).status();
    }

    private UUID worker;

    /** An active worker of the tenant that check-in knows (a worker_id must name one). */
    private UUID worker(String token) {
        if (worker == null) {
            worker = Members.workerKnownToCheckin(api, token);
        }
        return worker;
    }

    private int checkIn(String token, Duration ago) {
        return api.postJson("/v1/missions/" + UUID.randomUUID() + "/worker-check-events", token, Map.of(
                "worker_id", worker(token).toString(), "event_type", "check_in",
                "occurred_at", Instant.now().minus(ago).toString(), "source", "web", "metadata", Map.of())).status();
    }
}
