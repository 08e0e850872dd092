package eu.erpdetachement.bench.web;

import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

import io.micrometer.core.instrument.Timer;
import io.netty.handler.timeout.ReadTimeoutException;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.resources.ConnectionProvider;

/**
 * A prototype of decision 0046's proposal, for the bench's section 10: the gateway's per-request work
 * written on Reactor Netty directly, to measure what such an edge costs before it is built. Beside what
 * {@link BareProxy} does, each request is checked, routed and observed as the gateway does it:
 * <ul>
 * <li>the strict firewall's rules (Spring Security's {@code StrictServerWebExchangeFirewall}): the method
 * allow-list, every header name and value (no control or unassigned characters), the raw path (encoded
 * slash, dot, percent, semicolon, NUL, CR, LF; dot segments, {@code //}, {@code ;}, {@code \}, control and
 * non-ASCII characters): 400;</li>
 * <li>it is routed by the gateway's paths (every route's service given the one upstream);</li>
 * <li>outside the public routes, the bearer token's syntax; a new token's signature (RS256, the issuer's
 * keys), issuer, audience, expiry and caller claims, a checked token cached until it expires (as the
 * services' caching decoder keeps it); on every request its expiry again and the caller built from its
 * claims: 401 with {@code WWW-Authenticate: Bearer} otherwise;</li>
 * <li>a server span (OpenTelemetry, parent-based, 10 % of new traces sampled, no exporter, as the services
 * run by default), continuing the caller's {@code traceparent} and passed on as the upstream's parent;</li>
 * <li>hop-by-hop headers are removed both ways; {@code X-Request-Id} (the caller's if well formed) and
 * {@code X-Client-Address} are set;</li>
 * <li>an answer is awaited 30 s at most (504), a refused connection is a 503;</li>
 * <li>each request is timed into {@code http.server.requests} by method, route and status, with a
 * histogram, in a Prometheus registry.</li>
 * </ul>
 * Not production code. Left out: what a wrk GET does not reach (CORS needs an {@code Origin} header, the
 * abuse limits are on the sign-in routes, the body cap on bodies), the problem bodies' full form, and the
 * upstream connections per event loop (decision 0045; the default pool here makes it slightly pessimistic).
 * The keys are fetched on the first request, on the event loop. Arguments: port, upstream URL, issuer URL,
 * a file it writes once it serves.
 */
public final class EdgeProxy {

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-authenticate",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host");
    /** The routes without a required token (contracts/rbac.yaml). */
    private static final Set<String> PUBLIC = Set.of("/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout",
            "/v1/auth/password-reset/request", "/v1/auth/password-reset/confirm", "/v1/auth/email-change/confirm");
    /** The gateway's routes (gateway/src/main/resources/application.yml): a path, or a prefix ending in '/'. */
    private static final List<Map.Entry<String, String>> ROUTES = List.of(Map.entry("/v1/auth/", "identity"),
            Map.entry("/v1/me", "identity"), Map.entry("/v1/users", "identity"), Map.entry("/v1/users/", "identity"),
            Map.entry("/v1/tenant-settings", "identity"), Map.entry("/v1/audit-events", "identity"),
            Map.entry("/v1/audit-events:verify", "identity"), Map.entry("/v1/files", "files"), Map.entry("/v1/files/", "files"),
            Map.entry("/v1/missions/", "checkin"), Map.entry("/v1/workers/", "checkin"));
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String AUDIENCE = "erp-api";
    private static final int MAX_CACHED_TOKENS = 10_000;
    private static final TextMapGetter<HttpHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpHeaders headers) {
            return headers.names();
        }

        @Override
        public String get(HttpHeaders headers, String name) {
            return headers == null ? null : headers.get(name);
        }
    };

    /** Who calls, built from the token's claims on every request, as the services' converter does. */
    private record Caller(UUID userId, UUID tenantId, String role) {
    }

    private final HttpClient upstream;
    private final String upstreamUrl;
    private final DefaultJWTProcessor<SecurityContext> tokens = new DefaultJWTProcessor<>();
    /** Checked tokens and their claims, until they expire. */
    private final Map<String, JWTClaimsSet> checked = new ConcurrentHashMap<>();
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Tracer tracer = SdkTracerProvider.builder().setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(0.1)))
            .build().get("edge");

    private EdgeProxy(String upstreamUrl, String issuer) throws Exception {
        this.upstreamUrl = upstreamUrl;
        this.upstream = HttpClient.create(ConnectionProvider.create("upstream", 500)).responseTimeout(Duration.ofSeconds(30));
        tokens.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.RS256,
                JWKSourceBuilder.create(URI.create(issuer + "/protocol/openid-connect/certs").toURL()).build()));
        tokens.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "tenant_id", "role_type")));
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            throw new IllegalArgumentException("Usage: EdgeProxy <port> <upstream URL> <issuer URL> <ready file>");
        }
        EdgeProxy edge = new EdgeProxy(args[1], args[2]);
        DisposableServer server = HttpServer.create().port(Integer.parseInt(args[0])).handle(edge::handle).bindNow();
        Files.writeString(Path.of(args[3]), "ready");
        server.onDispose().block();
    }

    private Mono<Void> handle(HttpServerRequest request, HttpServerResponse response) {
        long start = System.nanoTime();
        String uri = request.uri();
        int query = uri.indexOf('?');
        String path = query < 0 ? uri : uri.substring(0, query);
        String route = route(path);
        String requestId = requestId(request.requestHeaders().get("X-Request-Id"));
        response.header("X-Request-Id", requestId);
        String method = request.method().name();
        Span span = tracer.spanBuilder("http " + method.toLowerCase(Locale.ROOT))
                .setParent(W3CTraceContextPropagator.getInstance().extract(Context.root(), request.requestHeaders(), HEADERS))
                .setSpanKind(SpanKind.SERVER).startSpan();
        Mono<Void> answer;
        if (!METHODS.contains(method) || !headersAccepted(request.requestHeaders()) || !pathAccepted(path)) {
            answer = problem(response, HttpResponseStatus.BAD_REQUEST, "The request was rejected.");
        } else if (route == null) {
            answer = problem(response, HttpResponseStatus.NOT_FOUND, "No resource at this path.");
        } else if (!PUBLIC.contains(path) && caller(request.requestHeaders().get(HttpHeaderNames.AUTHORIZATION)) == null) {
            response.header(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            answer = problem(response, HttpResponseStatus.UNAUTHORIZED, "A valid bearer token is required.");
        } else {
            answer = forward(request, response, requestId, span);
        }
        return answer.doFinally(signal -> {
            span.end();
            Timer.builder("http.server.requests").tag("method", method)
                    .tag("uri", route == null ? "UNKNOWN" : route).tag("status", Integer.toString(response.status().code()))
                    .publishPercentileHistogram().register(registry).record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        });
    }

    private Mono<Void> forward(HttpServerRequest request, HttpServerResponse response, String requestId, Span span) {
        InetSocketAddress client = request.remoteAddress();
        return upstream.headers(headers -> {
                    copy(request.requestHeaders(), headers);
                    headers.remove("traceparent").remove("tracestate");
                    headers.set("X-Request-Id", requestId);
                    headers.set("X-Client-Address", client == null ? "unknown" : client.getAddress().getHostAddress());
                    W3CTraceContextPropagator.getInstance().inject(Context.root().with(span), headers,
                            (carrier, name, value) -> carrier.set(name, value));
                })
                .request(request.method()).uri(upstreamUrl + request.uri()).send(request.receive().retain())
                .response((answer, body) -> {
                    response.status(answer.status());
                    copy(answer.responseHeaders(), response.responseHeaders());
                    response.header("X-Request-Id", requestId);
                    return response.send(body.retain());
                })
                .then()
                .onErrorResume(ReadTimeoutException.class, e -> problem(response, HttpResponseStatus.GATEWAY_TIMEOUT,
                        "The service did not answer in time."))
                .onErrorResume(e -> !response.hasSentHeaders(), e -> problem(response, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "The service is unavailable."));
    }

    private static void copy(HttpHeaders from, HttpHeaders to) {
        for (Map.Entry<String, String> header : from) {
            if (!HOP_BY_HOP.contains(header.getKey().toLowerCase(Locale.ROOT))) {
                to.add(header.getKey(), header.getValue());
            }
        }
    }

    private static String route(String path) {
        for (Map.Entry<String, String> route : ROUTES) {
            String pattern = route.getKey();
            if (pattern.endsWith("/") ? path.startsWith(pattern) : path.equals(pattern)) {
                return route.getValue();
            }
        }
        return null;
    }

    /** Every header name and value: no control character but a tab in values, no unassigned character. */
    private static boolean headersAccepted(HttpHeaders headers) {
        for (Map.Entry<String, String> header : headers) {
            if (!charactersAccepted(header.getKey(), false) || !charactersAccepted(header.getValue(), true)) {
                return false;
            }
        }
        return true;
    }

    private static boolean charactersAccepted(String text, boolean tab) {
        for (int i = 0; i < text.length(); ) {
            char c = text.charAt(i);
            if (c >= 0x20 && c < 0x7f) {
                i++;
                continue;
            }
            int codePoint = text.codePointAt(i);
            if (!(tab && codePoint == '\t') && (Character.getType(codePoint) == Character.UNASSIGNED
                    || Character.isISOControl(codePoint))) {
                return false;
            }
            i += Character.charCount(codePoint);
        }
        return true;
    }

    /** What Spring Security's StrictServerWebExchangeFirewall refuses in a raw path. */
    private static boolean pathAccepted(String path) {
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c < 0x20 || c > 0x7e || c == ';' || c == '\\') {
                return false;
            }
        }
        String lower = path.toLowerCase(Locale.ROOT);
        return !(lower.contains("%2f") || lower.contains("%2e") || lower.contains("%5c") || lower.contains("%25")
                || lower.contains("%3b") || lower.contains("%00") || lower.contains("%0a") || lower.contains("%0d")
                || lower.contains("//") || lower.contains("/./") || lower.contains("/../") || lower.endsWith("/..")
                || lower.endsWith("/."));
    }

    /** The caller of a valid bearer token, or null. */
    private Caller caller(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        String token = authorization.substring(7);
        if (token.isEmpty() || !token.chars().allMatch(c -> c > 0x20 && c < 0x7f && c != ',')) {
            return null; // RFC 6750's token68 characters, roughly, as the bearer token resolver checks them
        }
        JWTClaimsSet claims = checked.get(token);
        if (claims == null) {
            try {
                claims = tokens.process(token, null);
            } catch (Exception invalid) {
                return null;
            }
            if (checked.size() >= MAX_CACHED_TOKENS) {
                checked.clear();
            }
            checked.put(token, claims);
        }
        if (claims.getExpirationTime().getTime() <= System.currentTimeMillis()) {
            checked.remove(token);
            return null;
        }
        try {
            return new Caller(UUID.fromString(claims.getSubject()), UUID.fromString((String) claims.getClaim("tenant_id")),
                    (String) claims.getClaim("role_type"));
        } catch (RuntimeException notACaller) {
            return null;
        }
    }

    private static String requestId(String given) {
        return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    private static Mono<Void> problem(HttpServerResponse response, HttpResponseStatus status, String detail) {
        String body = "{\"type\":\"about:blank\",\"title\":\"" + status.reasonPhrase() + "\",\"status\":" + status.code()
                + ",\"detail\":\"" + detail + "\"}";
        return response.status(status).header(HttpHeaderNames.CONTENT_TYPE, "application/problem+json")
                .sendString(Mono.just(body), StandardCharsets.UTF_8).then();
    }
}
