package eu.erpdetachement.platform.personaldata;

import java.util.UUID;

import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.rbac.RbacMatrix;
import eu.erpdetachement.platform.rbac.RouteAccess;
import eu.erpdetachement.platform.security.Caller;

/**
 * GET /v1/users/{user_id}/personal-data (contracts/openapi.yaml) is answered by identity, which
 * asks each service that holds data about people for its part on an internal route: not in the
 * public contract, not routed by the gateway, reachable only by identity (NetworkPolicy), called
 * with the caller's own token and judged by the public operation's RBAC row
 * ({@code RouteAccess.forOperation}). The optional {@code worker_id} query parameter names the
 * person's worker id, which identity knows.
 */
public final class PersonalDataRoutes {

    /** The public operation whose row in contracts/rbac.yaml decides the internal routes too. */
    public static final String OPERATION = "getUserPersonalData";

    public static final String INTERNAL_PATH = "/internal/v1/users/{user_id}/personal-data";

    private PersonalDataRoutes() {
    }

    /**
     * Checks the caller against the public operation's row: a tenant admin reads anybody of the
     * tenant; a {@code self} cell only their own user, and then only their own worker id.
     */
    public static void requireAccess(RbacMatrix matrix, Caller caller, UUID userId, UUID workerId) {
        RouteAccess access = RouteAccess.forOperation(matrix, OPERATION, caller);
        access.requireSelfOrAllowed(caller, userId);
        if (access.isRestricted() && workerId != null && !caller.workerId().map(workerId::equals).orElse(false)) {
            throw ProblemException.forbidden("This role may only read its own worker id's data.");
        }
    }
}
