package eu.erpdetachement.checkin.api;

import eu.erpdetachement.platform.json.CanonicalJson;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import eu.erpdetachement.checkin.domain.CheckEvent;
import eu.erpdetachement.checkin.domain.CheckEventChain;
import jakarta.validation.constraints.NotNull;
import tools.jackson.databind.JsonNode;

/** Bodies of the worker-check-events routes, field for field as in contracts/openapi.yaml. */
public final class CheckEventDtos {

    private CheckEventDtos() {
    }

    /** {@code WorkerCheckEventCreateRequest}; values are checked by {@link CheckEventRequests}. */
    public record WorkerCheckEventCreateRequest(@NotNull UUID workerId, @NotNull String eventType,
            @NotNull String occurredAt, @NotNull String source, @NotNull JsonNode metadata) {
    }

    /** {@code WorkerCheckEventCorrectionRequest}; values are checked by {@link CheckEventRequests}. */
    public record WorkerCheckEventCorrectionRequest(@NotNull String kind, @NotNull String occurredAt,
            @NotNull String reason) {
    }

    /** One recorded event (extension: reads of the timesheet). */
    public record WorkerCheckEvent(UUID checkEventId, UUID missionId, UUID workerId, String eventType,
            Instant occurredAt, Instant recordedAt, String source, JsonNode metadata, UUID recordedBy,
            String previousHash, String hash) {

        static WorkerCheckEvent of(CheckEvent e) {
            return new WorkerCheckEvent(e.checkEventId(), e.missionId(), e.workerId(), e.type().wireName(),
                    e.occurredAt(), e.recordedAt(), e.source().wireName(), CanonicalJson.read(e.metadata()),
                    e.recordedBy(), e.previousHash(), e.hash());
        }
    }

    public record WorkerCheckEventList(List<WorkerCheckEvent> items, String nextCursor) {
    }

    public record ChainVerification(UUID missionId, UUID workerId, boolean valid, int checked,
            UUID firstBrokenEventId) {

        static ChainVerification of(UUID missionId, UUID workerId, CheckEventChain.Verification v) {
            return new ChainVerification(missionId, workerId, v.valid(), v.checked(), v.firstBrokenEventId().orElse(null));
        }
    }
}
