package eu.erpdetachement.platform.rbac;

import java.util.UUID;

import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.security.Caller;

/**
 * The caller's access to the route being served, already past the allow/deny check. Conditional
 * cells ({@code self}, {@code own_files}, {@code own_worker_id}) need the resource, so handlers
 * finish the check with these methods.
 */
public record RouteAccess(RbacRoute route, Access access) {

    public static final String ATTRIBUTE = RouteAccess.class.getName();

    /**
     * The access to an internal route that serves part of a public operation (a route the gateway
     * does not expose, called by another service with the caller's token): decided by the public
     * operation's row, so the matrix stays the one place. A {@code deny} cell is refused here.
     */
    public static RouteAccess forOperation(RbacMatrix matrix, String operation, Caller caller) {
        RbacRoute route = matrix.route(operation);
        Access access = route.accessFor(caller.role());
        if (access == Access.DENY) {
            throw ProblemException.forbidden("Role " + caller.role().wireName() + " may not " + operation + ".");
        }
        return new RouteAccess(route, access);
    }

    /** {@code self}: the path's user must be the caller. */
    public void requireSelfOrAllowed(Caller caller, UUID userId) {
        if (access == Access.SELF && !caller.userId().equals(userId)) {
            throw ProblemException.forbidden("This role may only act on its own user.");
        }
    }

    /** {@code own_worker_id}: the named worker must be the caller's worker id. */
    public void requireOwnWorkerOrAllowed(Caller caller, UUID workerId) {
        if (access != Access.OWN_WORKER_ID) {
            return;
        }
        if (caller.workerId().isEmpty()) {
            // e.g. a manager made a worker: no worker id yet, so nothing of any worker is theirs
            throw ProblemException.forbidden("This role may only act for its own worker id, and this user has none.");
        }
        if (!caller.workerId().get().equals(workerId)) {
            throw ProblemException.forbidden("This role may only act for its own worker id.");
        }
    }

    /** {@code own_files}: the file must have been uploaded by the caller. */
    public void requireOwnFileOrAllowed(Caller caller, UUID uploadedBy) {
        if (access == Access.OWN_FILES && !caller.userId().equals(uploadedBy)) {
            throw ProblemException.forbidden("This role may only use files it uploaded.");
        }
    }

    public boolean isRestricted() {
        return access != Access.ALLOW;
    }
}
