package eu.erpdetachement.identity.api;

import java.util.UUID;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;

/** The signed-in user's own profile. */
@RestController
public class MeController {

    /** {@code MeResponse}; {@code worker_id} and {@code language} are additive extensions. */
    public record MeResponse(UUID userId, UUID tenantId, String roleType, String email, boolean isActive,
            UUID workerId, String language) {
    }

    private final UserProfileStore profiles;

    public MeController(UserProfileStore profiles) {
        this.profiles = profiles;
    }

    @GetMapping("/v1/me")
    public Mono<MeResponse> me(Caller caller) {
        return profiles.find(caller.tenantId(), caller.userId())
                .map(p -> new MeResponse(p.userId(), p.tenantId(), p.role().wireName(), p.email(), p.active(),
                        p.workerId(), p.language()))
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("User")));
    }
}
