package eu.erpdetachement.platform.rbac;

/** What one role may do on one route, as {@code contracts/rbac.yaml} spells it. */
public enum Access {
    /** Any resource of the caller's tenant. */
    ALLOW,
    /** Never: 403. */
    DENY,
    /** Only when the path's {@code user_id} is the caller. */
    SELF,
    /** Only files the caller uploaded. */
    OWN_FILES,
    /** Only when the {@code worker_id} named by the request is the caller's. */
    OWN_WORKER_ID;

    static Access fromYaml(String value) {
        return valueOf(value.trim().toUpperCase());
    }
}
