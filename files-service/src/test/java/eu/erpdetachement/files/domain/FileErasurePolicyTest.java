package eu.erpdetachement.files.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.files.domain.FileErasurePolicy.Outcome;

class FileErasurePolicyTest {

    private final FileErasurePolicy policy = new FileErasurePolicy();

    @Test
    void keeps_pseudonymised_a_file_labour_law_requires() {
        assertThat(policy.decide(Set.of("a1_certificate"))).isEqualTo(Outcome.PSEUDONYMISE);
        assertThat(policy.decide(Set.of("id_document", "payslip"))).isEqualTo(Outcome.PSEUDONYMISE);
        assertThat(FileErasurePolicy.RETAINED_PURPOSES).containsExactlyInAnyOrder("a1_certificate", "employment_contract",
                "payslip", "timesheet").allMatch(LinkTargets.PURPOSES::contains);
    }

    @Test
    void deletes_a_file_linked_to_the_person_only_for_purposes_no_law_requires() {
        assertThat(policy.decide(Set.of("id_document"))).isEqualTo(Outcome.DELETE);
        assertThat(policy.decide(Set.of("id_document", "other"))).isEqualTo(Outcome.DELETE);
    }

    @Test
    void keeps_pseudonymised_a_file_the_person_uploaded_about_something_else() {
        assertThat(policy.decide(Set.of())).isEqualTo(Outcome.PSEUDONYMISE);
    }

    @Test
    void the_pseudonymous_name_and_key_name_only_the_file() {
        UUID tenant = UUID.randomUUID();
        UUID file = UUID.randomUUID();
        assertThat(FileErasurePolicy.pseudonymFilename(file)).isEqualTo("erased-" + file);
        assertThat(ObjectKeys.erasedKey(tenant, file)).isEqualTo("tenants/" + tenant + "/erased/" + file);
        assertThat(ObjectKeys.forTenant(tenant, "erased/" + file).isAccepted()).as("no caller can register it").isFalse();
        assertThat(ObjectKeys.forTenant(tenant, "workers/erased/a1.pdf").isAccepted()).isTrue();
    }
}
