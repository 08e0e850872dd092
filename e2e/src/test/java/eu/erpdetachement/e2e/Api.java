package eu.erpdetachement.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

import eu.erpdetachement.platform.testkit.OpenApiContract;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A plain HTTP client for the gateway, as a tenant app would use it. Every exchange it makes is
 * checked against contracts/openapi.yaml, so a drift between code and contract fails the test.
 */
final class Api {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    // HTTP/1.1, what the gateway speaks on plain HTTP: the JDK client's default h2c upgrade attempt, after a
    // 401, now and then leaves the next request on that connection unanswered for 30 s (seen 1 in ~100)
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final String baseUrl;

    Api(String baseUrl) {
        this.baseUrl = baseUrl;
    }

    record Reply(int status, String contentType, String body, java.net.http.HttpHeaders headers) {

        JsonNode json() {
            return JSON.readTree(body);
        }

        String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    Reply post(String path, String token, String contentType, String body, Map<String, String> headers) {
        CreatedEmails.in(body);
        HttpRequest.Builder request = request(path, token, headers)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        Reply reply = send(request.build());
        CONTRACT.assertResponse("POST", path, reply.status(), reply.contentType(), reply.body());
        return reply;
    }

    /** A POST whose body is streamed (large uploads): nothing of it is held here. */
    Reply postStream(String path, String token, String contentType, HttpRequest.BodyPublisher body) {
        Reply reply = send(request(path, token, Map.of("Content-Type", contentType)).POST(body).build());
        CONTRACT.assertResponse("POST", path, reply.status(), reply.contentType(), reply.body());
        return reply;
    }

    Reply postJson(String path, String token, Object body) {
        return post(path, token, "application/json", JSON.writeValueAsString(body), Map.of());
    }

    Reply patchJson(String path, String token, Object body, Map<String, String> headers) {
        String json = JSON.writeValueAsString(body);
        CreatedEmails.in(json);
        Reply reply = send(request(path, token, headers).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(json)).build());
        CONTRACT.assertResponse("PATCH", path, reply.status(), reply.contentType(), reply.body());
        return reply;
    }

    Reply get(String path, String token) {
        return get(path, token, Map.of());
    }

    Reply get(String path, String token, Map<String, String> headers) {
        Reply reply = send(request(path, token, headers).GET().build());
        CONTRACT.assertResponse("GET", path, reply.status(), reply.contentType(), reply.body());
        return reply;
    }

    /** A request outside the contract (health, documents): sent as is, nothing validated. */
    Reply raw(HttpRequest.Builder request) {
        return send(request.build());
    }

    HttpRequest.Builder request(String path, String token, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        headers.forEach(request::header);
        return request;
    }

    private Reply send(HttpRequest request) {
        CreatedEmails.in(java.net.URLDecoder.decode(request.uri().getRawQuery() == null ? "" : request.uri().getRawQuery(),
                java.nio.charset.StandardCharsets.UTF_8));
        try {
            HttpResponse<String> response;
            try {
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.net.http.HttpTimeoutException unanswered) {
                // an intermittent 30 s stall seen since the issue-15 merge and not yet explained (closing note of
                // stop 12): the request is sent once more, on a new connection, and listed in target/unanswered-requests.txt
                Unanswered.record(request.method() + " " + request.uri());
                response = http.send(request, HttpResponse.BodyHandlers.ofString());
            }
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                    response.body(), response.headers());
        } catch (IOException e) {
            throw new IllegalStateException("Request failed: " + request.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The requests that got no answer within their timeout the first time (kept for the record, never hidden). */
    static final class Unanswered {

        private Unanswered() {
        }

        static synchronized void record(String request) {
            System.out.println("UNANSWERED within 30 s, sent again: " + request);
            try {
                java.nio.file.Path file = java.nio.file.Path.of("target", "unanswered-requests.txt");
                java.nio.file.Files.writeString(file, java.time.Instant.now() + " " + request + "\n",
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
