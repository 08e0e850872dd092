package eu.erpdetachement.identity.api;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.identity.app.ManagingUsers;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import reactor.core.publisher.Mono;

/** A user's own email change takes effect here, from the link mailed to the new address (decision 0014). */
@RestController
public class EmailChangeController {

    public record EmailChangeConfirmRequest(@NotBlank @Size(max = 128) String token) {
    }

    public record EmailChangeConfirmResponse(String status) {
    }

    private final ManagingUsers users;

    public EmailChangeController(ManagingUsers users) {
        this.users = users;
    }

    @PostMapping(path = "/v1/auth/email-change/confirm", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<EmailChangeConfirmResponse> confirm(@Valid @RequestBody EmailChangeConfirmRequest request) {
        return users.confirmEmailChange(request.token()).thenReturn(new EmailChangeConfirmResponse("email_updated"));
    }
}
