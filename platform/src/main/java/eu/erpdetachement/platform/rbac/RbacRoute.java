package eu.erpdetachement.platform.rbac;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpMethod;
import org.springframework.web.util.pattern.PathPattern;

import eu.erpdetachement.platform.security.Role;

/** One row of the matrix: an operation of the contract and each role's access to it. */
public record RbacRoute(String operation, HttpMethod method, String path, PathPattern pattern,
        Authentication authentication, Map<Role, Access> access, List<String> guards) {

    public enum Authentication { NONE, BEARER, BEARER_OR_REFRESH_TOKEN }

    public Access accessFor(Role role) {
        return access.getOrDefault(role, Access.DENY);
    }

    public boolean requiresToken() {
        return authentication == Authentication.BEARER;
    }
}
