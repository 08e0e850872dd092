package eu.erpdetachement.identity.settings;

import java.util.UUID;

import org.springframework.http.HttpHeaders;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.platform.json.JsonText;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.security.Caller;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;

/** GET and PATCH /v1/tenant-settings. */
@RestController
public class TenantSettingsController {

    public record TenantSettingsResponse(UUID tenantId, JsonNode settings) {
    }

    public record TenantSettingsPatchRequest(@NotNull JsonNode settings) {
    }

    public record TenantSettingsPatchResponse(UUID tenantId, JsonNode settings) {
    }

    private final ConfiguringTenant configuring;

    public TenantSettingsController(ConfiguringTenant configuring) {
        this.configuring = configuring;
    }

    @GetMapping("/v1/tenant-settings")
    public Mono<ResponseEntity<TenantSettingsResponse>> get(Caller caller) {
        return configuring.read(caller.tenantId())
                .map(e -> ResponseEntity.ok().header(HttpHeaders.ETAG, ETags.of(e.version()))
                        .body(new TenantSettingsResponse(e.tenantId(), e.settings())));
    }

    @PatchMapping(path = "/v1/tenant-settings", consumes = {"application/merge-patch+json", "application/json"})
    public Mono<ResponseEntity<TenantSettingsPatchResponse>> patch(@Valid @RequestBody TenantSettingsPatchRequest request,
            @RequestHeader(name = HttpHeaders.IF_MATCH, required = false) String ifMatch, Caller caller) {
        JsonText.firstUnstorable(request.settings()).ifPresent(at -> {
            throw ProblemException.validation("settings" + (at.isEmpty() ? "" : "." + at),
                    "must be Unicode text without NUL characters");
        });
        return configuring.patch(caller, ifMatch, request.settings())
                .map(e -> ResponseEntity.ok().header(HttpHeaders.ETAG, ETags.of(e.version()))
                        .body(new TenantSettingsPatchResponse(e.tenantId(), e.settings())));
    }
}
