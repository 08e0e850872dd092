package eu.erpdetachement.identity.personaldata;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.stereotype.Service;

import eu.erpdetachement.identity.store.UserProfileStore;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Everything the system holds about a person, as one document (GDPR art. 15 and 20): the person of
 * the caller's tenant (404 otherwise), then every {@link PersonalDataSource}'s section, asked in
 * parallel. The document is whole or not given: one section's failure fails the request.
 */
@Service
public class ExportingPersonalData {

    private final UserProfileStore profiles;
    private final List<PersonalDataSource> sources;
    private final Clock clock;

    public ExportingPersonalData(UserProfileStore profiles, List<PersonalDataSource> sources, Clock clock) {
        this.profiles = profiles;
        this.sources = List.copyOf(sources);
        this.clock = clock;
    }

    public Mono<Map<String, Object>> export(Caller caller, UUID userId, String authorization) {
        return profiles.find(caller.tenantId(), userId)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("User")))
                .flatMap(subject -> profiles.erasedAt(subject.tenantId(), userId)
                        .map(java.util.Optional::of).defaultIfEmpty(java.util.Optional.empty())
                        .map(erasedAt -> new PersonalDataRequest(subject, erasedAt.orElse(null), caller, authorization)))
                .flatMap(request -> Flux.fromIterable(sources)
                        .flatMapSequential(source -> source.export(request).map(part -> Map.entry(source.section(), part)))
                        .collectList()
                        .map(parts -> {
                            Map<String, Object> document = new LinkedHashMap<>();
                            document.put("user_id", request.subject().userId());
                            document.put("tenant_id", request.subject().tenantId());
                            document.put("generated_at", clock.instant().truncatedTo(ChronoUnit.MICROS));
                            parts.forEach(part -> document.put(part.getKey(), part.getValue()));
                            return document;
                        }));
    }
}
