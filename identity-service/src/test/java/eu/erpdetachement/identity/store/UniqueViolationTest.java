package eu.erpdetachement.identity.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UniqueViolationTest {

    @Test
    void the_broken_unique_rule_is_found_anywhere_in_the_causes() {
        RuntimeException email = new RuntimeException("executeMany; SQL [UPDATE users ...]",
                new IllegalStateException("duplicate key value violates unique constraint \"users_email_key\""));
        RuntimeException worker = new RuntimeException("duplicate key value violates unique constraint \"users_tenant_worker_key\"");

        assertThat(UserProfileStore.violatedUniqueField(email)).contains("email");
        assertThat(UserProfileStore.violatedUniqueField(worker)).contains("worker_id");
        assertThat(UserProfileStore.violatedUniqueField(new RuntimeException("connection reset"))).isEmpty();
    }
}
