package eu.erpdetachement.identity.personaldata;

import java.time.Duration;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

import eu.erpdetachement.identity.config.PersonalDataProperties;
import eu.erpdetachement.platform.personaldata.PersonalDataRoutes;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import io.netty.channel.ChannelOption;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;

/**
 * A section another service holds, read from its internal route (platform PersonalDataRoutes) with
 * the caller's own token. Bounded: connecting, then answering, each within its timeout; any
 * failure (unreachable, slow, not a 200 with the section) is a 503 for the whole export.
 */
public class ServiceSection implements PersonalDataSource {

    /** The largest section read (the export is one document, built in memory). */
    static final int MAX_SECTION_BYTES = 64 * 1024 * 1024;

    private final String section;
    private final String service;
    private final WebClient http;
    private final Duration bound;

    public ServiceSection(String section, String service, String baseUrl, PersonalDataProperties bounds, WebClient.Builder builder) {
        this.section = section;
        this.service = service;
        HttpClient client = HttpClient.create()
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) bounds.connectTimeout().toMillis())
                .responseTimeout(bounds.readTimeout());
        // a busy manager's section holds thousands of records: far more than the codecs' 256 KiB default
        this.http = builder.clone().baseUrl(baseUrl).clientConnector(new ReactorClientHttpConnector(client))
                .codecs(codecs -> codecs.defaultCodecs().maxInMemorySize(MAX_SECTION_BYTES)).build();
        this.bound = bounds.connectTimeout().plus(bounds.readTimeout());
    }

    @Override
    public String section() {
        return section;
    }

    @Override
    public Mono<Object> export(PersonalDataRequest request) {
        return http.get()
                .uri(b -> b.path(PersonalDataRoutes.INTERNAL_PATH)
                        .queryParamIfPresent("worker_id", java.util.Optional.ofNullable(request.subject().workerId()))
                        .build(request.subject().userId()))
                .header(HttpHeaders.AUTHORIZATION, request.authorization())
                .retrieve()
                .onStatus(HttpStatusCode::isError, response -> response.releaseBody().then(Mono.error(unavailable())))
                .bodyToMono(JsonNode.class)
                .timeout(bound)
                .<Object>handle((body, sink) -> {
                    JsonNode part = body.get(section);
                    if (part == null || !part.isArray()) {
                        sink.error(unavailable());
                        return;
                    }
                    sink.next(part);
                })
                .switchIfEmpty(Mono.error(this::unavailable))
                .onErrorMap(e -> !(e instanceof ProblemException), e -> unavailable());
    }

    private ProblemException unavailable() {
        return new ProblemException(ProblemType.UPSTREAM_UNAVAILABLE,
                "The " + service + " service did not give its part of the personal data; no partial export is given.");
    }
}
