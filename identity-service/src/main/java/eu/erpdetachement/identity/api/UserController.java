package eu.erpdetachement.identity.api;

import java.net.URI;
import java.util.List;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.identity.api.UserDtos.UserCreateRequest;
import eu.erpdetachement.identity.api.UserDtos.UserCreateResponse;
import eu.erpdetachement.identity.api.UserDtos.UserErasureResponse;
import eu.erpdetachement.identity.api.UserDtos.UserListItem;
import eu.erpdetachement.identity.api.UserDtos.UserListResponse;
import eu.erpdetachement.identity.api.UserDtos.UserRolePatchRequest;
import eu.erpdetachement.identity.api.UserDtos.UserRolePatchResponse;
import eu.erpdetachement.identity.api.UserDtos.UserStatusPatchRequest;
import eu.erpdetachement.identity.api.UserDtos.UserStatusPatchResponse;
import eu.erpdetachement.identity.api.UserDtos.UserUpdateRequest;
import eu.erpdetachement.identity.api.UserDtos.UserUpdateResponse;
import eu.erpdetachement.identity.app.ManagingUsers;
import eu.erpdetachement.identity.domain.EmailAddress;
import eu.erpdetachement.identity.domain.Languages;
import eu.erpdetachement.identity.domain.UserProfile;
import eu.erpdetachement.identity.personaldata.ExportingPersonalData;
import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.paging.KeysetCursor;
import eu.erpdetachement.platform.paging.PageLimit;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.rbac.RouteAccess;
import eu.erpdetachement.platform.security.Caller;
import eu.erpdetachement.platform.security.Role;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;

/** The /v1/users routes, scoped to the caller's tenant. */
@RestController
public class UserController {

    private final ManagingUsers users;
    private final UserProfileStore profiles;
    private final ExportingPersonalData personalData;

    public UserController(ManagingUsers users, UserProfileStore profiles, ExportingPersonalData personalData) {
        this.users = users;
        this.profiles = profiles;
        this.personalData = personalData;
    }

    @GetMapping("/v1/users")
    public Mono<UserListResponse> list(@RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "cursor", required = false) String cursor,
            @RequestParam(name = "role_type", required = false) String roleType,
            @RequestParam(name = "is_active", required = false) Boolean isActive,
            @RequestParam(name = "email_prefix", required = false) String emailPrefix, Caller caller) {
        int pageSize = PageLimit.of(limit);
        Role role = roleType == null ? null : role(roleType);
        if (emailPrefix != null && (emailPrefix.isBlank() || emailPrefix.length() > 320)) {
            throw ProblemException.validation("email_prefix", "must be 1 to 320 characters");
        }
        String after = cursor == null ? null : KeysetCursor.decode(cursor, 1).get(0);
        return profiles.page(caller.tenantId(), role, isActive, emailPrefix, after, pageSize + 1)
                .collectList()
                .map(found -> {
                    boolean more = found.size() > pageSize;
                    List<UserProfile> page = more ? found.subList(0, pageSize) : found;
                    String next = more ? KeysetCursor.encode(page.get(page.size() - 1).email().toLowerCase()) : null;
                    return new UserListResponse(page.stream().map(UserListItem::of).toList(), next);
                });
    }

    @PostMapping(path = "/v1/users", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<UserCreateResponse>> create(@Valid @RequestBody UserCreateRequest request, Caller caller) {
        String language = language(request.language());
        var user = new ManagingUsers.NewUser(email(request.email()), role(request.roleType()), request.isActive(),
                request.workerId(), language);
        return users.invite(caller, user)
                .map(created -> ResponseEntity.created(URI.create("/v1/users/" + created.userId()))
                        .body(new UserCreateResponse(created.userId(), created.tenantId())));
    }

    @PatchMapping(path = "/v1/users/{user_id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<UserUpdateResponse> update(@PathVariable("user_id") UUID userId,
            @Valid @RequestBody UserUpdateRequest request, Caller caller, RouteAccess access) {
        access.requireSelfOrAllowed(caller, userId);
        String language = request.language() == null ? null : language(request.language());
        String email = request.email() == null ? null : email(request.email());
        return users.update(caller, userId, email, language)
                .map(updated -> new UserUpdateResponse(updated.userId(), updated.updatedAt()));
    }

    @PatchMapping(path = "/v1/users/{user_id}/status", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<UserStatusPatchResponse> status(@PathVariable("user_id") UUID userId,
            @Valid @RequestBody UserStatusPatchRequest request, Caller caller) {
        return users.changeStatus(caller, userId, request.isActive())
                .map(changed -> new UserStatusPatchResponse(changed.userId(), changed.active()));
    }

    @PatchMapping(path = "/v1/users/{user_id}/role", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<UserRolePatchResponse> role(@PathVariable("user_id") UUID userId,
            @Valid @RequestBody UserRolePatchRequest request, Caller caller) {
        return users.changeRole(caller, userId, role(request.roleType()))
                .map(changed -> new UserRolePatchResponse(changed.userId(), changed.role().wireName()));
    }

    /** One document, whole or a 503 (docs/data-protection.md); the caller's token is sent on to files and check-in. */
    @GetMapping("/v1/users/{user_id}/personal-data")
    public Mono<java.util.Map<String, Object>> personalData(@PathVariable("user_id") UUID userId,
            @org.springframework.web.bind.annotation.RequestHeader(org.springframework.http.HttpHeaders.AUTHORIZATION) String authorization,
            Caller caller, RouteAccess access) {
        access.requireSelfOrAllowed(caller, userId);
        return personalData.export(caller, userId, authorization);
    }

    /** Erasing twice answers the first erasure (docs/data-protection.md). */
    @PostMapping("/v1/users/{user_id}:erase")
    public Mono<UserErasureResponse> erase(@PathVariable("user_id") UUID userId, Caller caller) {
        return users.erase(caller, userId).map(erased -> new UserErasureResponse(erased.userId(), erased.updatedAt()));
    }

    /** The address as stored: validated by @ValidEmail, normalised by the same rule. */
    private static String email(String value) {
        return EmailAddress.normalize(value).orElseThrow(() -> ProblemException.validation("email",
                "must be an email address (local@domain.tld)"));
    }

    private static Role role(String value) {
        return Role.fromWire(value).orElseThrow(() -> ProblemException.validation("role_type",
                "must be one of tenant_admin, manager, compliance_officer, worker"));
    }

    private static String language(String value) {
        if (value == null) {
            return Languages.DEFAULT;
        }
        if (!Languages.EU.contains(value)) {
            throw ProblemException.validation("language", "must be an EU language code (ISO 639-1)");
        }
        return value;
    }
}
