package eu.erpdetachement.platform.rbac;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.HttpMethod;
import org.springframework.http.server.PathContainer;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import eu.erpdetachement.platform.security.Role;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The role x route matrix, read from {@code contracts/rbac.yaml} — the one place roles are decided. */
public final class RbacMatrix {

    public static final String RESOURCE = "contracts/rbac.yaml";

    private final List<RbacRoute> routes;

    private RbacMatrix(List<RbacRoute> routes) {
        this.routes = List.copyOf(routes);
    }

    public static RbacMatrix fromClasspath() {
        try (InputStream in = RbacMatrix.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not on the classpath");
            }
            return parse(in);
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read " + RESOURCE, e);
        }
    }

    static RbacMatrix parse(InputStream yaml) {
        JsonNode root = YAMLMapper.builder().build().readTree(yaml);
        PathPatternParser parser = new PathPatternParser();
        List<RbacRoute> routes = new ArrayList<>();
        for (JsonNode row : root.get("routes")) {
            String path = row.get("path").asString();
            RbacRoute.Authentication authentication = RbacRoute.Authentication.valueOf(
                    row.path("authentication").asString("bearer").toUpperCase());
            Map<Role, Access> access = new EnumMap<>(Role.class);
            JsonNode accessNode = row.path("access");
            for (Role role : Role.values()) {
                JsonNode cell = accessNode.get(role.wireName());
                access.put(role, cell == null ? Access.DENY : Access.fromYaml(cell.asString()));
            }
            List<String> guards = new ArrayList<>();
            row.path("guards").forEach(g -> guards.add(g.asString()));
            routes.add(new RbacRoute(row.get("operation").asString(), HttpMethod.valueOf(row.get("method").asString()),
                    path, parser.parse(path), authentication, access, guards));
        }
        return new RbacMatrix(routes);
    }

    public List<RbacRoute> routes() {
        return routes;
    }

    public List<RbacRoute> routesWithoutRequiredToken() {
        return routes.stream().filter(r -> !r.requiresToken()).toList();
    }

    public RbacRoute route(String operation) {
        return routes.stream().filter(r -> r.operation().equals(operation)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No route " + operation + " in " + RESOURCE));
    }

    /** The most specific route matching a request, if the matrix names it. */
    public Optional<RbacRoute> match(HttpMethod method, String path) {
        PathContainer container = PathContainer.parsePath(path);
        return routes.stream()
                .filter(r -> r.method().equals(method) && r.pattern().matches(container))
                .min(Comparator.comparing(RbacRoute::pattern, PathPattern.SPECIFICITY_COMPARATOR));
    }
}
