package eu.erpdetachement.gateway.limits;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.Normalizer;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

import eu.erpdetachement.gateway.edge.ClientAddresses;
import eu.erpdetachement.platform.problem.ProblemResponses;
import eu.erpdetachement.platform.problem.ProblemType;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Throttles sign-in and password-reset requests before they reach the identity service (decision 0016):
 * <ul>
 * <li>{@code POST /v1/auth/login}: every attempt counts per client address; only failed ones (401)
 * count per email address, so a kiosk account signing in on many devices is never slowed;</li>
 * <li>{@code POST /v1/auth/password-reset/request}: every request counts per email address and per
 * client address, which bounds the mails one address can receive.</li>
 * </ul>
 * Over a limit: 429 problem with {@code Retry-After}. If the shared store fails, requests pass (the
 * identity service and Keycloak's lockout still stand) and the failure is logged.
 */
public class AbuseLimitsFilter implements WebFilter, Ordered {

    static final String LOGIN = "/v1/auth/login";
    static final String RESET_REQUEST = "/v1/auth/password-reset/request";
    private static final int MAX_BODY = 64 * 1024;
    private static final Logger log = LoggerFactory.getLogger(AbuseLimitsFilter.class);

    private final SharedBuckets buckets;
    private final ProblemResponses problems;
    private final JsonMapper json;
    private final ClientAddresses clientAddresses;
    private final Limit loginIp;
    private final Limit loginAccount;
    private final Limit resetAddress;
    private final Limit resetIp;

    AbuseLimitsFilter(SharedBuckets buckets, AbuseLimitsProperties properties, ClientAddresses clientAddresses,
            ProblemResponses problems, JsonMapper json) {
        this.buckets = buckets;
        this.problems = problems;
        this.json = json;
        this.clientAddresses = clientAddresses;
        this.loginIp = properties.loginIp();
        this.loginAccount = properties.loginAccount();
        this.resetAddress = properties.resetAddress();
        this.resetIp = properties.resetIp();
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE + 30; // after CORS, before security: a refused attempt costs little
    }

    @Override
    public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
        ServerHttpRequest request = exchange.getRequest();
        if (request.getMethod() != HttpMethod.POST) {
            return chain.filter(exchange);
        }
        String path = request.getPath().pathWithinApplication().value();
        if (path.equals(LOGIN)) {
            return withBody(exchange, (forward, email) -> login(forward, chain, email));
        }
        if (path.equals(RESET_REQUEST)) {
            return withBody(exchange, (forward, email) -> resetRequest(forward, chain, email));
        }
        return chain.filter(exchange);
    }

    private Mono<Void> login(ServerWebExchange exchange, WebFilterChain chain, String account) {
        String ip = clientIp(exchange);
        return blocking(() -> {
            Duration wait = buckets.take("login-ip", loginIp, ip);
            return wait.isZero() && account != null ? buckets.waitForOne("login-account", loginAccount, account) : wait;
        }).flatMap(wait -> {
            if (!wait.isZero()) {
                return tooMany(exchange, wait, "Too many sign-in attempts; try again later.");
            }
            return chain.filter(exchange).then(Mono.defer(() -> {
                boolean failed = exchange.getResponse().getStatusCode() != null
                        && exchange.getResponse().getStatusCode().value() == HttpStatus.UNAUTHORIZED.value();
                return failed && account != null
                        ? blocking(() -> {
                            buckets.charge("login-account", loginAccount, account);
                            return Duration.ZERO;
                        }).then()
                        : Mono.empty();
            }));
        });
    }

    private Mono<Void> resetRequest(ServerWebExchange exchange, WebFilterChain chain, String address) {
        String ip = clientIp(exchange);
        return blocking(() -> {
            Duration wait = buckets.take("reset-ip", resetIp, ip);
            return wait.isZero() && address != null ? buckets.take("reset-address", resetAddress, address) : wait;
        }).flatMap(wait -> wait.isZero()
                ? chain.filter(exchange)
                : tooMany(exchange, wait, "Too many password-reset requests; try again later."));
    }

    private Mono<Void> tooMany(ServerWebExchange exchange, Duration wait, String detail) {
        long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
        exchange.getResponse().getHeaders().set(HttpHeaders.RETRY_AFTER, Long.toString(seconds));
        return problems.write(exchange, ProblemResponses.body(ProblemType.TOO_MANY_REQUESTS, detail,
                exchange.getRequest().getPath().value(), List.of(), Map.of()));
    }

    /** Runs a store call off the event loop; a failing store lets the request pass. */
    private Mono<Duration> blocking(Callable<Duration> call) {
        return Mono.fromCallable(call).subscribeOn(Schedulers.boundedElastic())
                .onErrorResume(e -> {
                    log.warn("Abuse limits unavailable, request let through: {}", e.toString());
                    return Mono.just(Duration.ZERO);
                });
    }

    private String clientIp(ServerWebExchange exchange) {
        return clientAddresses.of(exchange);
    }

    private interface BodyAware {
        Mono<Void> apply(ServerWebExchange exchange, String accountKey);
    }

    /** Reads the (small) JSON body once for its email, and hands on a request that replays it. */
    private Mono<Void> withBody(ServerWebExchange exchange, BodyAware next) {
        return DataBufferUtils.join(exchange.getRequest().getBody(), MAX_BODY)
                .map(buffer -> {
                    byte[] bytes = new byte[buffer.readableByteCount()];
                    buffer.read(bytes);
                    DataBufferUtils.release(buffer);
                    return bytes;
                })
                .defaultIfEmpty(new byte[0])
                .flatMap(bytes -> {
                    ServerHttpRequest replay = new ServerHttpRequestDecorator(exchange.getRequest()) {
                        @Override
                        public Flux<DataBuffer> getBody() {
                            return bytes.length == 0 ? Flux.empty()
                                    : Flux.defer(() -> Flux.just(exchange.getResponse().bufferFactory().wrap(bytes)));
                        }
                    };
                    return next.apply(exchange.mutate().request(replay).build(), accountKey(bytes));
                });
    }

    /** The email of the body, normalised and hashed (no address is stored by the gateway); null if none. */
    private String accountKey(byte[] body) {
        try {
            JsonNode email = json.readTree(body).get("email");
            if (email == null || !email.isString() || email.asString().isBlank()) {
                return null;
            }
            String normalised = Normalizer.normalize(email.asString().trim(), Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(normalised.getBytes(StandardCharsets.UTF_8)));
        } catch (RuntimeException | NoSuchAlgorithmException unreadable) {
            return null; // the identity service answers the malformed body
        }
    }
}
