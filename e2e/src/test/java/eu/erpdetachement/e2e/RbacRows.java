package eu.erpdetachement.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The rows of contracts/rbac.yaml that an RBAC walk covers: the cells' expected answers come from here, not the test. */
final class RbacRows {

    private RbacRows() {
    }

    static List<JsonNode> of(Set<String> operations) {
        try (InputStream in = RbacRows.class.getClassLoader().getResourceAsStream("contracts/rbac.yaml")) {
            List<JsonNode> rows = new ArrayList<>();
            for (JsonNode route : new YAMLMapper().readTree(in).get("routes")) {
                if (operations.contains(route.get("operation").asString())) {
                    rows.add(route);
                }
            }
            if (rows.size() != operations.size()) {
                throw new IllegalStateException("contracts/rbac.yaml lacks a row of " + operations);
            }
            return rows;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
