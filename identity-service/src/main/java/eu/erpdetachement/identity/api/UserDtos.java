package eu.erpdetachement.identity.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;


import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.platform.json.OptionalButNotNull;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import tools.jackson.databind.annotation.JsonDeserialize;

/** Bodies of /v1/users, field for field as in contracts/openapi.yaml ({@code worker_id}, {@code language} are extensions). */
public final class UserDtos {

    private UserDtos() {
    }

    public record UserListItem(UUID userId, UUID tenantId, String roleType, String email, boolean isActive, UUID workerId,
            String language) {

        static UserListItem of(UserProfile p) {
            return new UserListItem(p.userId(), p.tenantId(), p.role().wireName(), p.email(), p.active(), p.workerId(),
                    p.language());
        }
    }

    public record UserListResponse(List<UserListItem> items, String nextCursor) {
    }

    public record UserCreateRequest(@NotBlank @ValidEmail @Size(max = 320) String email, @NotNull String roleType,
            @NotNull Boolean isActive, UUID workerId,
            @JsonDeserialize(using = OptionalButNotNull.class) String language) {
    }

    public record UserCreateResponse(UUID userId, UUID tenantId) {
    }

    public record UserUpdateRequest(@ValidEmail @Size(max = 320) String email, String language) {
    }

    public record UserUpdateResponse(UUID userId, Instant updatedAt) {
    }

    public record UserStatusPatchRequest(@NotNull Boolean isActive) {
    }

    public record UserStatusPatchResponse(UUID userId, boolean isActive) {
    }

    public record UserRolePatchRequest(@NotNull String roleType) {
    }

    public record UserRolePatchResponse(UUID userId, String roleType) {
    }

    public record UserErasureResponse(UUID userId, Instant erasedAt) {
    }
}
