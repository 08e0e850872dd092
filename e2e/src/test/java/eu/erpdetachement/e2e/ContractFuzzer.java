package eu.erpdetachement.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Hostile requests generated from contracts/openapi.yaml: for every operation, every parameter (path,
 * query, header) and every body field, values a careless or malicious client sends — NUL and control
 * characters, over-long strings, floats and huge numbers for integers, wrong types, odd unicode — plus
 * whole-body attacks (duplicate keys, deep nesting, wrong top-level types, odd content types). The
 * catalogue is complete for each field's declared type; a seeded random part adds combinations of
 * several mutated fields. The same seed always gives the same cases.
 */
final class ContractFuzzer {

    static final JsonMapper JSON = JsonMapper.builder().build();

    /** One parameter or body property of the contract, its schema with every $ref inlined. */
    record Field(String name, String in, boolean required, JsonNode schema) {
    }

    record Operation(String method, String template, String operationId, boolean publicRoute, List<Field> parameters,
            Map<String, JsonNode> bodies) {

        JsonNode jsonBody() {
            return bodies.get("application/json");
        }

        List<Field> bodyFields() {
            JsonNode schema = jsonBody();
            List<Field> fields = new ArrayList<>();
            if (schema == null || !schema.has("properties")) {
                return fields;
            }
            List<String> required = new ArrayList<>();
            schema.path("required").forEach(r -> required.add(r.asString()));
            schema.get("properties").properties().forEach(p -> fields.add(new Field(p.getKey(), "body",
                    required.contains(p.getKey()), p.getValue())));
            return fields;
        }
    }

    /**
     * What a case changes in an otherwise valid request. {@code raw} is JSON text for a body field, the
     * decoded text for a parameter; {@code null} raw with {@code remove} drops the field.
     */
    record Mutation(String kind, String raw, boolean remove) {

        static Mutation value(String kind, String raw) {
            return new Mutation(kind, raw, false);
        }
    }

    /** A request to send: what is mutated where, or a whole-body attack. */
    record Case(int number, Operation operation, Map<String, Mutation> mutations, String bodyAttack, String contentType,
            boolean anonymous) {

        String describe() {
            StringBuilder s = new StringBuilder("#" + number + " " + operation.method() + " " + operation.template());
            mutations.forEach((target, m) -> s.append(" [").append(target).append(" ← ").append(m.kind()).append(']'));
            if (bodyAttack != null) {
                s.append(" [body ← ").append(bodyAttack).append(']');
            }
            if (contentType != null) {
                s.append(" [content-type ← ").append(contentType).append(']');
            }
            if (anonymous) {
                s.append(" [anonymous]");
            }
            return s.toString();
        }
    }

    private final JsonNode document;
    private final List<Operation> operations = new ArrayList<>();
    private final SchemaRegistry schemas = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
            builder -> builder.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build()));

    private ContractFuzzer(JsonNode document) {
        this.document = document;
        for (Iterator<String> paths = document.get("paths").propertyNames().iterator(); paths.hasNext();) {
            String template = paths.next();
            JsonNode pathItem = document.get("paths").get(template);
            for (String method : List.of("get", "post", "put", "patch", "delete")) {
                JsonNode op = pathItem.get(method);
                if (op == null) {
                    continue;
                }
                List<Field> parameters = new ArrayList<>();
                op.path("parameters").forEach(p -> {
                    JsonNode param = inline(p);
                    parameters.add(new Field(param.get("name").asString(), param.get("in").asString(),
                            param.path("required").asBoolean(false), param.path("schema")));
                });
                Map<String, JsonNode> bodies = new LinkedHashMap<>();
                inline(op.path("requestBody")).path("content").properties()
                        .forEach(c -> bodies.put(c.getKey(), c.getValue().path("schema")));
                operations.add(new Operation(method.toUpperCase(Locale.ROOT), template, op.get("operationId").asString(),
                        isPublic(op), parameters, bodies));
            }
        }
    }

    static ContractFuzzer load() {
        try (InputStream in = ContractFuzzer.class.getClassLoader().getResourceAsStream("contracts/openapi.yaml")) {
            if (in == null) {
                throw new IllegalStateException("contracts/openapi.yaml is not on the classpath");
            }
            return new ContractFuzzer(YAMLMapper.builder().build().readTree(in));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Operation> operations() {
        return operations;
    }

    /** security: [] or a list holding {} — callable without a token. */
    private static boolean isPublic(JsonNode operation) {
        JsonNode security = operation.get("security");
        if (security == null) {
            return false;
        }
        if (security.isEmpty()) {
            return true;
        }
        for (JsonNode requirement : security) {
            if (requirement.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** A copy of the node with every $ref replaced by what it points at (the contract has no recursive schema). */
    JsonNode inline(JsonNode node) {
        if (node.isObject()) {
            if (node.has("$ref")) {
                return inline(document.at(node.get("$ref").asString().substring(1)));
            }
            ObjectNode out = JSON.createObjectNode();
            node.properties().forEach(p -> out.set(p.getKey(), inline(p.getValue())));
            return out;
        }
        if (node.isArray()) {
            ArrayNode out = JSON.createArrayNode();
            node.forEach(e -> out.add(inline(e)));
            return out;
        }
        return node;
    }

    // --- validity: does the contract itself refuse the value? ----------------------------------------

    /** True when the contract's schema accepts the instance (formats asserted). */
    boolean accepts(JsonNode schema, JsonNode instance) {
        Schema compiled = schemas.getSchema(schema);
        return compiled.validate(instance).isEmpty();
    }

    /** A parameter's text as the typed value its schema describes (what a server would bind). */
    static JsonNode typed(JsonNode schema, String text) {
        String type = schema.path("type").asString("string");
        if ("integer".equals(type)) {
            try {
                return JSON.getNodeFactory().numberNode(new java.math.BigInteger(text));
            } catch (NumberFormatException e) {
                return JSON.getNodeFactory().stringNode(text);
            }
        }
        if ("boolean".equals(type) && ("true".equals(text) || "false".equals(text))) {
            return JSON.getNodeFactory().booleanNode(Boolean.parseBoolean(text));
        }
        return JSON.getNodeFactory().stringNode(text);
    }

    // --- the catalogue ------------------------------------------------------------------------------

    private static String json(String text) {
        return JSON.writeValueAsString(text);
    }

    static String deep(int depth, String open, String close, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    private static boolean hasType(JsonNode schema, String type) {
        JsonNode t = schema.get("type");
        if (t == null) {
            return false;
        }
        if (t.isArray()) {
            for (JsonNode e : t) {
                if (type.equals(e.asString())) {
                    return true;
                }
            }
            return false;
        }
        return type.equals(t.asString());
    }

    /** Values for a JSON body field, by its declared type. */
    List<Mutation> bodyValueMutations(Field field) {
        JsonNode s = field.schema();
        List<Mutation> m = new ArrayList<>();
        m.add(new Mutation("absent", null, true));
        m.add(Mutation.value("null", "null"));
        m.add(Mutation.value("true", "true"));
        m.add(Mutation.value("zero", "0"));
        m.add(Mutation.value("float 1.9", "1.9"));
        m.add(Mutation.value("empty array", "[]"));
        m.add(Mutation.value("array of mixed", "[1,\"a\",null]"));
        m.add(Mutation.value("nested object", "{\"a\":{\"b\":[1]}}"));
        m.add(Mutation.value("deep array 600", deep(600, "[", "]", "1")));
        m.add(Mutation.value("deep object 300", deep(300, "{\"a\":", "}", "1")));
        m.add(Mutation.value("empty string", "\"\""));
        m.add(Mutation.value("NUL", json("\u0000")));
        m.add(Mutation.value("NUL inside", json("ab\u0000cd")));
        m.add(Mutation.value("control characters", json("a\u0001\u0008\u001b\u007f\u0085b")));
        m.add(Mutation.value("CR LF TAB", json("a\r\nb\tc")));
        m.add(Mutation.value("lone surrogate", "\"a\\ud800b\""));
        m.add(Mutation.value("BOM and zero-width", json("\ufeff\u200bx")));
        m.add(Mutation.value("right-to-left override", json("\u202egnp.exe")));
        m.add(Mutation.value("10000 characters", json("x".repeat(10_000))));
        m.add(Mutation.value("70000 characters", json("x".repeat(70_000))));
        m.add(Mutation.value("SQL", json("' OR '1'='1' --")));
        m.add(Mutation.value("JNDI", json("${jndi:ldap://127.0.0.1/x}")));
        m.add(Mutation.value("emoji", json("\uD83D\uDE00\uD83D\uDE00")));
        if (s.has("maxLength")) {
            int max = s.get("maxLength").asInt();
            m.add(Mutation.value("maxLength+1 (" + (max + 1) + ")", json("a".repeat(max + 1))));
            m.add(Mutation.value("maxLength+1 NUL-padded", json("\u0000".repeat(max + 1))));
        }
        if (hasType(s, "integer") || hasType(s, "number")) {
            m.add(Mutation.value("float 1.0", "1.0"));
            m.add(Mutation.value("exponent 1e2", "1e2"));
            m.add(Mutation.value("1e400", "1e400"));
            m.add(Mutation.value("-1e400", "-1e400"));
            m.add(Mutation.value("huge integer", "99999999999999999999999999999"));
            m.add(Mutation.value("long max", Long.toString(Long.MAX_VALUE)));
            m.add(Mutation.value("below long min", "-9223372036854775809"));
            m.add(Mutation.value("minus one", "-1"));
            m.add(Mutation.value("number as string", "\"12\""));
            m.add(Mutation.value("NaN", "NaN"));
            m.add(Mutation.value("leading zeros", "007"));
        }
        if (hasType(s, "boolean")) {
            m.add(Mutation.value("boolean as string", "\"true\""));
            m.add(Mutation.value("boolean as 1", "1"));
            m.add(Mutation.value("yes", "\"yes\""));
        }
        if ("uuid".equals(s.path("format").asString())) {
            m.add(Mutation.value("not a uuid", json("not-a-uuid")));
            m.add(Mutation.value("uuid plus junk", json("5f0c8a2e-2b1d-4c57-9d1e-0a5a0f6c2b11x")));
            m.add(Mutation.value("nil uuid", json("00000000-0000-0000-0000-000000000000")));
            m.add(Mutation.value("uuid in braces", json("{5f0c8a2e-2b1d-4c57-9d1e-0a5a0f6c2b11}")));
            m.add(Mutation.value("short uuid", json("1-1-1-1-1")));
        }
        if ("date-time".equals(s.path("format").asString())) {
            m.add(Mutation.value("impossible date", json("2026-13-45T99:99:99Z")));
            m.add(Mutation.value("no offset", json("2026-11-25T10:00:00")));
            m.add(Mutation.value("year 999999999", json("+999999999-12-31T23:59:59Z")));
            m.add(Mutation.value("offset +25:00", json("2026-11-25T10:00:00+25:00")));
            m.add(Mutation.value("epoch number", "1700000000"));
            m.add(Mutation.value("date only", json("2026-11-25")));
        }
        if (s.has("enum")) {
            String first = s.get("enum").get(0).isNull() ? "x" : s.get("enum").get(0).asString();
            m.add(Mutation.value("enum upper case", json(first.toUpperCase(Locale.ROOT))));
            m.add(Mutation.value("enum with space", json(first + " ")));
            m.add(Mutation.value("enum with NUL", json(first + "\u0000")));
            m.add(Mutation.value("enum full-width", json(fullWidth(first))));
        }
        if (hasType(s, "object")) {
            m.add(Mutation.value("object with NUL value", "{\"k\":\"a\\u0000b\"}"));
            m.add(Mutation.value("object with NUL key", "{\"a\\u0000b\":1}"));
            m.add(Mutation.value("object with 1e400", "{\"k\":1e400}"));
            m.add(Mutation.value("object with huge integer", "{\"k\":99999999999999999999999999999}"));
            m.add(Mutation.value("object with duplicate keys", "{\"k\":1,\"k\":2}"));
            m.add(Mutation.value("object with lone surrogate", "{\"k\":\"\\udc00\"}"));
            m.add(Mutation.value("object nested 200", deep(200, "{\"a\":", "}", "1")));
            m.add(Mutation.value("object with 5000-character key", "{" + json("k".repeat(5000)) + ":1}"));
        }
        return m;
    }

    /** Values for a path, query or header parameter (as decoded text). */
    List<Mutation> parameterMutations(Field field) {
        JsonNode s = field.schema();
        List<Mutation> m = new ArrayList<>();
        if (!"path".equals(field.in())) {
            m.add(new Mutation("absent", null, true));
        }
        m.add(Mutation.value("empty", ""));
        m.add(Mutation.value("space", " "));
        // longer request lines end at the gateway's HTTP decoder (4 KiB line limit), before any of our code
        m.add(Mutation.value("3000 characters", "x".repeat(3000)));
        m.add(Mutation.value("full-width", "ａｂｃ１２"));
        m.add(Mutation.value("emoji", "\uD83D\uDE00"));
        m.add(Mutation.value("SQL", "' OR '1'='1"));
        m.add(Mutation.value("percent sign", "%"));
        if (!"header".equals(field.in())) {
            // an HTTP client cannot put these in a header at all
            m.add(Mutation.value("NUL", "\u0000"));
            m.add(Mutation.value("NUL inside", "ab\u0000cd"));
            m.add(Mutation.value("control characters", "a\u0001\u001b\u007fb"));
            m.add(Mutation.value("CR LF", "a\r\nX-Injected: 1"));
            m.add(Mutation.value("slash dot dot", "../../etc/passwd"));
            m.add(Mutation.value("lone surrogate", "a\ud800b"));
        } else {
            m.add(Mutation.value("TAB", "a\tb"));
            m.add(Mutation.value("latin-1", "caf\u00e9"));
        }
        if (s.has("maxLength")) {
            m.add(Mutation.value("maxLength+1", "a".repeat(s.get("maxLength").asInt() + 1)));
        }
        if (hasType(s, "integer")) {
            for (String v : List.of("1.9", "1.0", "1e2", "1e400", "99999999999999999999999", "-9223372036854775809",
                    "-1", "0", "201", "abc", "１２", "0x10", "+5")) {
                m.add(Mutation.value("integer " + v, v));
            }
        }
        if (hasType(s, "boolean")) {
            for (String v : List.of("TRUE", "1", "yes", "tru")) {
                m.add(Mutation.value("boolean " + v, v));
            }
        }
        if ("uuid".equals(s.path("format").asString())) {
            m.add(Mutation.value("not a uuid", "not-a-uuid"));
            m.add(Mutation.value("uuid plus junk", "5f0c8a2e-2b1d-4c57-9d1e-0a5a0f6c2b11x"));
            m.add(Mutation.value("nil uuid", "00000000-0000-0000-0000-000000000000"));
            m.add(Mutation.value("short uuid", "1-1-1-1-1"));
            m.add(Mutation.value("upper-case uuid", "5F0C8A2E-2B1D-4C57-9D1E-0A5A0F6C2B11"));
        }
        if ("date-time".equals(s.path("format").asString())) {
            for (String v : List.of("2026-13-45T99:99:99Z", "2026-11-25T10:00:00", "+999999999-12-31T23:59:59Z",
                    "2026-11-25T10:00:00+25:00", "1700000000")) {
                m.add(Mutation.value("date-time " + v, v));
            }
        }
        if (s.has("enum")) {
            String first = s.get("enum").get(0).asString();
            m.add(Mutation.value("enum upper case", first.toUpperCase(Locale.ROOT)));
            m.add(Mutation.value("enum full-width", fullWidth(first)));
        }
        if ("cursor".equals(field.name())) {
            for (String v : List.of("AA", "AAAA", "_w", "-_-_", "=", "YQ", "YR8", "MjAyNi0xMS0yNVQxMDowMDowMFofeA",
                    "eA", "AB8A", "!!!!")) {
                m.add(Mutation.value("cursor " + v, v));
            }
        }
        return m;
    }

    /** Whole-body attacks: they leave the fields alone and break the document itself. */
    static final List<String> BODY_ATTACKS = List.of("duplicate key, bad value last", "duplicate key, bad value first",
            "duplicate of every field", "deep nesting 600", "deep nesting 5000", "top-level array", "top-level string",
            "top-level number", "top-level null", "empty body", "not JSON", "truncated JSON", "trailing garbage",
            "two documents", "JSON with comment", "single quotes", "unquoted key", "trailing comma", "NUL byte raw",
            "invalid UTF-8", "UTF-16 body", "unknown field with NUL name");

    static final List<String> ODD_CONTENT_TYPES = List.of("text/plain", "application/xml", "application/x-www-form-urlencoded",
            "multipart/form-data", "application/octet-stream", "application/merge-patch+json", "application/json-patch+json",
            "application/problem+json", "application/json; charset=UTF-16", "NONE", "x/y; a=\"b", "*/*");

    /** Every case, deterministic catalogue first, then {@code randomPerOperation} seeded combinations each. */
    List<Case> cases(long seed, int randomPerOperation) {
        List<Case> cases = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(seed);
        for (Operation op : operations) {
            boolean anonymous = op.publicRoute();
            if (!op.publicRoute()) {
                cases.add(new Case(cases.size() + 1, op, Map.of(), null, null, true));
            }
            for (Field p : op.parameters()) {
                for (Mutation m : parameterMutations(p)) {
                    cases.add(new Case(cases.size() + 1, op, Map.of(p.in() + ":" + p.name(), m), null, null, anonymous));
                }
            }
            if (!"GET".equals(op.method()) && !op.bodies().isEmpty()) {
                for (Field f : op.bodyFields()) {
                    for (Mutation m : bodyValueMutations(f)) {
                        cases.add(new Case(cases.size() + 1, op, Map.of("body:" + f.name(), m), null, null, anonymous));
                    }
                }
                for (String attack : BODY_ATTACKS) {
                    cases.add(new Case(cases.size() + 1, op, Map.of(), attack, null, anonymous));
                }
            }
            if (!"GET".equals(op.method())) {
                for (String type : ODD_CONTENT_TYPES) {
                    if (!op.bodies().containsKey(type)) {
                        cases.add(new Case(cases.size() + 1, op, Map.of(), null, type, anonymous));
                    }
                }
            }
            cases.add(new Case(cases.size() + 1, op, Map.of(), null, null, anonymous)); // the untouched base: must pass
            List<Field> targets = new ArrayList<>(op.parameters());
            if (!"GET".equals(op.method())) {
                targets.addAll(op.bodyFields());
            }
            if (targets.isEmpty()) {
                continue;
            }
            for (int i = 0; i < randomPerOperation; i++) {
                Map<String, Mutation> mutations = new LinkedHashMap<>();
                int count = 1 + random.nextInt(Math.min(3, targets.size()));
                for (int j = 0; j < count; j++) {
                    Field target = targets.get(random.nextInt(targets.size()));
                    List<Mutation> options = new ArrayList<>("body".equals(target.in()) ? bodyValueMutations(target)
                            : parameterMutations(target));
                    options.add("body".equals(target.in()) ? Mutation.value("random string", json(randomText(random)))
                            : Mutation.value("random text", randomText(random)));
                    mutations.put(target.in() + ":" + target.name(), options.get(random.nextInt(options.size())));
                }
                cases.add(new Case(cases.size() + 1, op, mutations, null, null, anonymous));
            }
        }
        return cases;
    }

    /** Random text over ranges that break naive code: ASCII, controls, Latin-1, full-width, surrogate pairs. */
    static String randomText(SplittableRandom random) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(1, 40);
        for (int i = 0; i < length; i++) {
            int range = random.nextInt(6);
            int cp = switch (range) {
                case 0 -> random.nextInt(0x20, 0x7f);
                case 1 -> random.nextInt(0x00, 0x20);
                case 2 -> random.nextInt(0x80, 0x100);
                case 3 -> random.nextInt(0xff01, 0xff5f);
                case 4 -> random.nextInt(0x1f600, 0x1f650);
                default -> random.nextInt(0x2000, 0x2070);
            };
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    static String fullWidth(String ascii) {
        StringBuilder s = new StringBuilder();
        ascii.chars().forEach(c -> s.appendCodePoint(c >= 0x21 && c <= 0x7e ? c + 0xfee0 : c));
        return s.toString();
    }
}
