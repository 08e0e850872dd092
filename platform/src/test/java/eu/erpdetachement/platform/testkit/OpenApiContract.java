package eu.erpdetachement.platform.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Holds served traffic to {@code contracts/openapi.yaml}: the status must be documented for the
 * operation, the content type too, and the body must validate against the documented schema
 * (OpenAPI 3.1 schemas are JSON Schema 2020-12, validated with networknt, formats asserted).
 * A drift between code and contract fails the test that observed it.
 */
public final class OpenApiContract {

    private static final String DOCUMENT_URI = "https://erp-detachement.eu/contracts/openapi.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static volatile OpenApiContract instance;

    private final JsonNode document;
    private final SchemaRegistry registry;
    private final List<Route> routes = new ArrayList<>();

    private record Route(String template, Pattern pattern, int variables, int literalLength) {
    }

    private OpenApiContract(JsonNode document) {
        this.document = document;
        String json = JSON.writeValueAsString(document);
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                .schemas(Map.of(DOCUMENT_URI, json))
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));
        for (Iterator<String> it = document.get("paths").propertyNames().iterator(); it.hasNext();) {
            String template = it.next();
            StringBuilder regex = new StringBuilder();
            int variables = 0;
            int literal = 0;
            for (String part : template.split("(?=\\{)|(?<=\\})")) {
                if (part.startsWith("{")) {
                    regex.append("[^/]+?");
                    variables++;
                } else {
                    regex.append(Pattern.quote(part));
                    literal += part.length();
                }
            }
            routes.add(new Route(template, Pattern.compile(regex.toString()), variables, literal));
        }
        // literal segments beat templates: fewer variables first, then more literal text
        routes.sort(Comparator.comparingInt(Route::variables).thenComparing(Route::literalLength, Comparator.reverseOrder()));
    }

    public static OpenApiContract load() {
        if (instance == null) {
            synchronized (OpenApiContract.class) {
                if (instance == null) {
                    try (InputStream in = OpenApiContract.class.getClassLoader().getResourceAsStream("contracts/openapi.yaml")) {
                        if (in == null) {
                            throw new IllegalStateException("contracts/openapi.yaml is not on the classpath");
                        }
                        instance = new OpenApiContract(YAMLMapper.builder().build().readTree(in));
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
        }
        return instance;
    }

    /** The documented path template a concrete path belongs to (query string ignored). */
    public String templateOf(String requestPath) {
        String path = requestPath.contains("?") ? requestPath.substring(0, requestPath.indexOf('?')) : requestPath;
        return routes.stream().filter(r -> r.pattern().matcher(path).matches()).map(Route::template).findFirst()
                .orElseThrow(() -> new AssertionError("No path of contracts/openapi.yaml matches " + path));
    }

    public void assertResponse(String method, String requestPath, int status, String contentType, String body) {
        String template = templateOf(requestPath);
        JsonNode operation = operation(method, template);
        JsonNode response = operation.path("responses").get(Integer.toString(status));
        if (response == null) {
            throw new AssertionError(method + " " + template + " answered " + status + ", which the contract does not document."
                    + " Body: " + body);
        }
        response = resolve(response);
        JsonNode content = response.get("content");
        if (content == null || body == null || body.isEmpty()) {
            if (content != null && (body == null || body.isEmpty())) {
                throw new AssertionError(method + " " + template + " " + status + ": the contract documents a body, none came");
            }
            return;
        }
        String mediaType = mediaType(contentType);
        if (!content.has(mediaType)) {
            throw new AssertionError(method + " " + template + " " + status + " answered " + contentType
                    + "; documented: " + content.propertyNames());
        }
        JsonNode declared = operation.path("responses").get(Integer.toString(status));
        String responsePointer = declared.has("$ref") ? declared.get("$ref").asString().substring(1)
                : pointer("paths", template, method.toLowerCase(Locale.ROOT), "responses", Integer.toString(status));
        validateAgainst(response.get("content").get(mediaType).get("schema"),
                responsePointer + "/content/" + escape(mediaType) + "/schema", body, method + " " + template + " " + status,
                isJson(mediaType));
    }

    public void assertRequest(String method, String requestPath, String contentType, String body) {
        String template = templateOf(requestPath);
        JsonNode operation = operation(method, template);
        JsonNode content = operation.path("requestBody").path("content");
        String mediaType = mediaType(contentType);
        if (!content.has(mediaType)) {
            throw new AssertionError(method + " " + template + " does not accept " + contentType);
        }
        validateAgainst(content.get(mediaType).get("schema"),
                pointer("paths", template, method.toLowerCase(Locale.ROOT), "requestBody", "content", mediaType, "schema"),
                body, method + " " + template + " request", isJson(mediaType));
    }

    /** A JSON body is validated as JSON; any other (text/csv) as one string. */
    private void validateAgainst(JsonNode schemaNode, String schemaPointer, String body, String what, boolean json) {
        if (schemaNode == null) {
            return;
        }
        JsonNode instance;
        try {
            instance = json ? JSON.readTree(body) : JSON.getNodeFactory().textNode(body);
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": the body is not JSON: " + body);
        }
        Schema schema = registry.getSchema(SchemaLocation.of(DOCUMENT_URI + "#" + schemaPointer));
        var errors = schema.validate(instance);
        if (!errors.isEmpty()) {
            StringBuilder message = new StringBuilder(what + " does not match the contract:");
            errors.forEach(e -> message.append("\n  ").append(e.getInstanceLocation()).append(": ").append(e.getMessage()));
            message.append("\nBody: ").append(body);
            throw new AssertionError(message.toString());
        }
    }

    private JsonNode operation(String method, String template) {
        JsonNode operation = document.path("paths").path(template).get(method.toLowerCase(Locale.ROOT));
        if (operation == null) {
            throw new AssertionError("The contract has no " + method + " " + template);
        }
        return operation;
    }

    private JsonNode resolve(JsonNode node) {
        if (!node.has("$ref")) {
            return node;
        }
        JsonNode target = document.at(node.get("$ref").asString().substring(1));
        return target.isMissingNode() ? node : target;
    }

    private static boolean isJson(String mediaType) {
        return mediaType.equals("application/json") || mediaType.endsWith("+json");
    }

    private static String mediaType(String contentType) {
        if (contentType == null) {
            return "";
        }
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip().toLowerCase(Locale.ROOT);
    }

    private static String pointer(String... parts) {
        StringBuilder pointer = new StringBuilder();
        for (String part : parts) {
            pointer.append('/').append(escape(part));
        }
        return pointer.toString();
    }

    private static String escape(String part) {
        return part.replace("~", "~0").replace("/", "~1");
    }
}
