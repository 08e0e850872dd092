package eu.erpdetachement.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.swagger.parser.OpenAPIParser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import tools.jackson.databind.JsonNode;

/** openapi.yaml is a valid OpenAPI 3.1 document, and a disciplined one. */
class OpenApiDocumentTest {

    private static final List<String> METHODS = List.of("get", "post", "put", "patch", "delete");
    private final JsonNode document = Contracts.yaml("openapi.yaml");

    @Test
    void parses_as_openapi_3_1_without_any_message() {
        ParseOptions options = new ParseOptions();
        options.setResolve(true);
        SwaggerParseResult result = new OpenAPIParser().readContents(Contracts.text("openapi.yaml"), null, options);
        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void every_operation_has_a_unique_id_a_tag_and_a_success_answer() {
        Set<String> ids = new HashSet<>();
        forEachOperation((path, method, operation) -> {
            String id = operation.path("operationId").asString(null);
            assertThat(id).as(method + " " + path).isNotBlank();
            assertThat(ids.add(id)).as("operationId " + id + " is unique").isTrue();
            assertThat(operation.path("tags").size()).as(id + " tags").isPositive();
            boolean success = false;
            for (String status : operation.get("responses").propertyNames()) {
                success |= status.startsWith("2");
            }
            assertThat(success).as(id + " documents a 2xx").isTrue();
        });
    }

    @Test
    void every_error_answer_is_a_problem() {
        forEachOperation((path, method, operation) -> {
            for (String status : operation.get("responses").propertyNames()) {
                if (status.startsWith("4") || status.startsWith("5")) {
                    JsonNode response = resolve(operation.get("responses").get(status));
                    assertThat(response.path("content").has("application/problem+json"))
                            .as(operation.get("operationId").asString() + " " + status).isTrue();
                    assertThat(response.path("content").path("application/problem+json").path("schema").path("$ref").asString())
                            .isEqualTo("#/components/schemas/Problem");
                }
            }
        });
    }

    @Test
    void every_operation_decides_on_security_and_protected_ones_can_answer_401_and_403() {
        forEachOperation((path, method, operation) -> {
            String id = operation.get("operationId").asString();
            JsonNode security = operation.has("security") ? operation.get("security") : document.get("security");
            boolean anonymous = security.size() == 0 || (security.size() > 0 && security.get(0).isEmpty());
            if (!anonymous) {
                assertThat(operation.get("responses").has("401")).as(id + " 401").isTrue();
                assertThat(operation.get("responses").has("403")).as(id + " 403").isTrue();
            }
        });
    }

    @Test
    void every_path_parameter_is_declared() {
        Pattern variable = Pattern.compile("\\{([a-z_]+)\\}");
        forEachOperation((path, method, operation) -> {
            Matcher m = variable.matcher(path);
            while (m.find()) {
                String name = m.group(1);
                boolean declared = false;
                for (JsonNode parameter : operation.path("parameters")) {
                    JsonNode p = resolve(parameter);
                    declared |= name.equals(p.path("name").asString()) && "path".equals(p.path("in").asString());
                }
                assertThat(declared).as(operation.get("operationId").asString() + " declares " + name).isTrue();
            }
        });
    }

    @Test
    void every_component_schema_is_used() {
        String text = Contracts.text("openapi.yaml");
        List<String> unused = new ArrayList<>();
        for (String name : document.get("components").get("schemas").propertyNames()) {
            if (!text.contains("#/components/schemas/" + name + "'")) {
                unused.add(name);
            }
        }
        assertThat(unused).isEmpty();
    }

    interface OperationVisitor {
        void visit(String path, String method, JsonNode operation);
    }

    private void forEachOperation(OperationVisitor visitor) {
        for (String path : document.get("paths").propertyNames()) {
            for (String method : METHODS) {
                JsonNode operation = document.get("paths").get(path).get(method);
                if (operation != null) {
                    visitor.visit(path, method, operation);
                }
            }
        }
    }

    private JsonNode resolve(JsonNode node) {
        return node.has("$ref") ? document.at(node.get("$ref").asString().substring(1)) : node;
    }
}
