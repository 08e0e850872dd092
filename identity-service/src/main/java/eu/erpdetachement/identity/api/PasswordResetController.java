package eu.erpdetachement.identity.api;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.identity.app.ResettingPassword;
import eu.erpdetachement.identity.domain.EmailAddress;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** Password reset: request (always the same answer) and confirm. */
@RestController
public class PasswordResetController {

    public record PasswordResetRequestCreate(@NotBlank @ValidEmail @Size(max = 320) String email) {
    }

    public record PasswordResetRequestCreated(String status) {
    }

    public record PasswordResetConfirmRequest(@NotBlank @Size(max = 128) String token,
            @NotBlank @Size(max = 256) String newPassword) {
    }

    public record PasswordResetConfirmResponse(String status) {
    }

    private final ResettingPassword resetting;

    public PasswordResetController(ResettingPassword resetting) {
        this.resetting = resetting;
    }

    @PostMapping(path = "/v1/auth/password-reset/request", consumes = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    public Mono<PasswordResetRequestCreated> request(@Valid @RequestBody PasswordResetRequestCreate request) {
        String email = EmailAddress.normalize(request.email()).orElseThrow();
        // the request's context (its id and client address, for the audit trail) goes along to the background work
        return Mono.deferContextual(context -> {
            resetting.requestInBackground(email, context);
            return Mono.just(new PasswordResetRequestCreated("accepted"));
        });
    }

    @PostMapping(path = "/v1/auth/password-reset/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<PasswordResetConfirmResponse> confirm(@Valid @RequestBody PasswordResetConfirmRequest request) {
        return resetting.confirm(request.token(), request.newPassword())
                .thenReturn(new PasswordResetConfirmResponse("password_updated"));
    }
}
