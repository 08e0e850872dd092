package eu.erpdetachement.identity.personaldata;

import java.time.Instant;
import java.util.UUID;

import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

import eu.erpdetachement.identity.domain.UserProfile;
import reactor.core.publisher.Mono;

/** The profile this service holds (PersonalDataProfile in contracts/openapi.yaml). */
@Component
@Order(0)
public class ProfileSection implements PersonalDataSource {

    public record PersonalDataProfile(UUID userId, UUID tenantId, String email, String roleType, boolean isActive,
            String language, UUID workerId, Instant createdAt, Instant updatedAt, Instant erasedAt) {
    }

    @Override
    public String section() {
        return "profile";
    }

    @Override
    public Mono<Object> export(PersonalDataRequest request) {
        UserProfile p = request.subject();
        return Mono.just(new PersonalDataProfile(p.userId(), p.tenantId(), p.email(), p.role().wireName(), p.active(),
                p.language(), p.workerId(), p.createdAt(), p.updatedAt(), request.erasedAt()));
    }
}
