package eu.erpdetachement.files.domain;

import java.util.Set;
import java.util.UUID;

/**
 * What an erasure does to a file about the erased person (docs/data-protection.md). A file linked
 * to their worker id for a purpose labour law requires (A1 certificate, employment contract,
 * payslip, time-sheet: Directive 2014/67/EU art. 9(1)(b)) is kept until the tenant's retention
 * ends, with a name and key that no longer name anybody; one linked to them only for other purposes
 * (an identity document, other) is deleted at once. A file they uploaded that is not linked to them
 * is the tenant's business record: it is kept, renamed the same way.
 */
public final class FileErasurePolicy {

    /** Purposes whose files an employer must be able to show an inspector, during and after the posting. */
    public static final Set<String> RETAINED_PURPOSES = Set.of("a1_certificate", "employment_contract", "payslip", "timesheet");

    public enum Outcome {
        /** kept, with the pseudonymous name and key */
        PSEUDONYMISE,
        /** the object, its links and its row are deleted */
        DELETE
    }

    /** @param purposesLinkingThePerson the purposes of the file's links to the erased worker; empty when it has none */
    public Outcome decide(Set<String> purposesLinkingThePerson) {
        if (purposesLinkingThePerson.isEmpty() || purposesLinkingThePerson.stream().anyMatch(RETAINED_PURPOSES::contains)) {
            return Outcome.PSEUDONYMISE;
        }
        return Outcome.DELETE;
    }

    /** The file's name once pseudonymised: its id, which names nobody. */
    public static String pseudonymFilename(UUID fileId) {
        return "erased-" + fileId;
    }
}
