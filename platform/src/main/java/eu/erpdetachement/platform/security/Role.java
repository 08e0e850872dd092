package eu.erpdetachement.platform.security;

import java.util.Arrays;
import java.util.Optional;

/** The four tenant roles ({@code role_type}); names as the contract spells them. */
public enum Role {
    TENANT_ADMIN, MANAGER, COMPLIANCE_OFFICER, WORKER;

    public String wireName() {
        return name().toLowerCase();
    }

    public static Optional<Role> fromWire(String value) {
        return Arrays.stream(values()).filter(r -> r.wireName().equals(value)).findFirst();
    }
}
