package eu.erpdetachement.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Every configuration key the code reads is named in docs/configuration.md: each environment variable
 * of a {@code ${VAR...}} placeholder in a service's application*.yml or the platform's erp-platform.yml,
 * each {@code "ERP_..."} variable the Java code names (the devstack's), and each property of an {@code @ConfigurationProperties} record (by its name, its environment
 * variable, or the documented variable the yml binds it to). The failure names each missing key.
 */
class ConfigurationDocTest {

    private static final Path REPO = RepositoryFiles.root();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)");
    private static final Pattern PROPERTIES = Pattern.compile(
            "@ConfigurationProperties\\(\\s*(?:prefix\\s*=\\s*|value\\s*=\\s*)?\"([^\"]+)\"\\s*\\)");
    private static final Set<String> LEAF_TYPES = Set.of("String", "int", "Integer", "long", "Long", "boolean", "Boolean",
            "Duration", "UUID", "URI", "double", "Double", "DataSize");

    private final String doc = RepositoryFiles.read(REPO.resolve("docs/configuration.md"));

    @Test
    void every_environment_variable_of_the_configuration_files_is_documented() throws IOException {
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (Path file : configurationFiles()) {
            Matcher m = PLACEHOLDER.matcher(RepositoryFiles.read(file));
            while (m.find()) {
                if (!documented(m.group(1), false)) {
                    missing.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(REPO.relativize(file).toString());
                }
            }
        }
        assertThat(missing).as("docs/configuration.md does not name these environment variables (variable=[read in]); "
                + "add a row for each to its Service environment table").isEmpty();
    }

    @Test
    void every_configuration_property_is_documented() throws IOException {
        Map<String, String> bindings = ymlBindings();
        List<String> missing = new ArrayList<>();
        for (Path source : javaSources()) {
            String code = RepositoryFiles.read(source);
            Matcher m = PROPERTIES.matcher(code);
            while (m.find()) {
                String prefix = m.group(1);
                Matcher record = Pattern.compile("record\\s+(\\w+)\\s*\\(").matcher(code);
                if (!record.find(m.end())) {
                    missing.add(prefix + " (" + source.getFileName() + ": not a record; this test reads records only)");
                    continue;
                }
                check(prefix, components(code, record.end()), code, bindings, source, missing);
            }
        }
        assertThat(missing).as("docs/configuration.md names neither these properties nor their environment variables "
                + "(property (class, variable)); add a row for each to its Service environment table").isEmpty();
    }

    @Test
    void every_environment_variable_named_in_the_code_is_documented() throws IOException {
        Pattern literal = Pattern.compile("\"(ERP_[A-Z0-9_]+)\"");
        Map<String, Set<String>> missing = new LinkedHashMap<>();
        for (Path source : javaSources()) {
            // line comments dropped: a literal in one is not read
            Matcher m = literal.matcher(RepositoryFiles.read(source).replaceAll("(?m)//.*$", ""));
            while (m.find()) {
                if (!documented(m.group(1), false)) {
                    missing.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(source.getFileName().toString());
                }
            }
        }
        assertThat(missing).as("docs/configuration.md does not name these environment variables that the code reads "
                + "(variable=[read in])").isEmpty();
    }

    private void check(String prefix, Map<String, String> components, String code, Map<String, String> bindings,
            Path source, List<String> missing) {
        components.forEach((name, type) -> {
            String property = prefix + "." + kebab(name);
            String nested = type.replaceAll("^(List|Set|Collection)<(.+)>$", "$2");
            Matcher nestedRecord = Pattern.compile("record\\s+" + Pattern.quote(nested) + "\\s*\\(").matcher(code);
            if (!nested.equals(type) || !nestedRecord.find()) {
                if (!documented(property, !LEAF_TYPES.contains(type), bindings)) {
                    missing.add(property + " (" + source.getFileName().toString().replace(".java", "") + ", "
                            + environmentName(property) + ")");
                }
            } else if (!documented(property, !nested.equals(type), bindings)) {
                check(property, components(code, nestedRecord.end()), code, bindings, source, missing);
            }
        });
    }

    /** The property's own name, its environment variable, or the documented variable its yml value comes from. */
    private boolean documented(String property, boolean collection, Map<String, String> bindings) {
        if (documented(property, collection) || documented(environmentName(property), collection)
                || documented(environmentName(property).replace("_", "").replaceFirst("^ERP", "ERP_"), collection)
                || documented(environmentName(property.replace("-", "")), collection)) {
            return true;
        }
        String variable = bindings.get(property);
        return variable != null && documented(variable, false);
    }

    /** Named in the doc as a whole word; a collection also by its indexed form (ERP_X_<i>_Y). */
    private boolean documented(String key, boolean collection) {
        String after = collection ? "(?![A-Za-z0-9-])" : "(?![A-Za-z0-9_-])";
        return Pattern.compile("(?<![A-Za-z0-9_.-])" + Pattern.quote(key) + after).matcher(doc).find();
    }

    private static String environmentName(String property) {
        return property.replace('.', '_').replace('-', '_').toUpperCase();
    }

    private static String kebab(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase();
    }

    /** name → type of a record's components, from the source after {@code record Name(}. */
    private static Map<String, String> components(String code, int start) {
        int depth = 1;
        int end = start;
        while (depth > 0) {
            char c = code.charAt(end++);
            depth += c == '(' ? 1 : c == ')' ? -1 : 0;
        }
        String list = code.substring(start, end - 1)
                .replaceAll("@\\w+(\\([^)]*\\))?", " ")
                .replaceAll("\\s+", " ");
        Map<String, String> components = new LinkedHashMap<>();
        int angle = 0;
        StringBuilder part = new StringBuilder();
        for (char c : (list + ",").toCharArray()) {
            angle += c == '<' ? 1 : c == '>' ? -1 : 0;
            if (c == ',' && angle == 0) {
                String p = part.toString().trim();
                int space = p.lastIndexOf(' ');
                if (space > 0) {
                    components.put(p.substring(space + 1), p.substring(0, space).replaceAll("\\s", "").replaceAll("^.*\\.", ""));
                }
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        return components;
    }

    /** property → the environment variable its value is read from, over every configuration file. */
    private static Map<String, String> ymlBindings() throws IOException {
        Map<String, String> bindings = new LinkedHashMap<>();
        for (Path file : configurationFiles()) {
            flatten("", YAMLMapper.builder().build().readTree(RepositoryFiles.read(file)), bindings);
        }
        return bindings;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> bindings) {
        if (node.isObject()) {
            node.properties().forEach(e -> flatten(path.isEmpty() ? e.getKey() : path + "." + e.getKey(), e.getValue(), bindings));
        } else if (node.isValueNode()) {
            Matcher m = PLACEHOLDER.matcher(node.asString());
            if (m.find()) {
                bindings.put(path, m.group(1));
            }
        }
    }

    private static List<Path> configurationFiles() throws IOException {
        return moduleFiles("src/main/resources", p -> p.getFileName().toString().matches("(application.*|erp-platform)\\.ya?ml"));
    }

    private static List<Path> javaSources() throws IOException {
        return moduleFiles("src/main/java", p -> p.getFileName().toString().endsWith(".java"));
    }

    /** The files under {@code folder} of every module (a top-level directory), not the data or build output. */
    private static List<Path> moduleFiles(String folder, java.util.function.Predicate<Path> wanted) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> modules = Files.list(REPO)) {
            for (Path module : modules.filter(Files::isDirectory).sorted().toList()) {
                Path dir = module.resolve(folder);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.walk(dir)) {
                        files.filter(Files::isRegularFile).filter(wanted).sorted().forEach(found::add);
                    }
                }
            }
        }
        return found;
    }
}
