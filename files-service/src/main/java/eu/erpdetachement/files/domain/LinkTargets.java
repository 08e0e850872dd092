package eu.erpdetachement.files.domain;

import java.util.Set;

/** What a file may be attached to, and why. Closed sets, documented in contracts/openapi.yaml. */
public final class LinkTargets {

    public static final Set<String> ENTITY_TYPES = Set.of("worker", "mission", "client", "company");
    public static final Set<String> PURPOSES = Set.of("a1_certificate", "id_document", "employment_contract", "payslip",
            "timesheet", "other");

    private LinkTargets() {
    }
}
