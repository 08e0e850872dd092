package eu.erpdetachement.identity.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import eu.erpdetachement.identity.domain.AuditChain.Link;
import eu.erpdetachement.identity.domain.AuditChain.StoredLink;

class AuditChainTest {

    private static final UUID TENANT = UUID.randomUUID();
    private static final UUID ADMIN = UUID.randomUUID();
    private static final UUID WORKER = UUID.randomUUID();

    /** A chain of {@code actions}, each on the worker, by the admin, changing its email. */
    private static List<StoredLink> chain(String... actions) {
        List<StoredLink> links = new ArrayList<>();
        String previous = null;
        for (int i = 0; i < actions.length; i++) {
            String changes = "{\"email\":{\"after\":\"w" + i + "@acme.test\",\"before\":null}}";
            Link link = new Link(TENANT, i + 1, UUID.randomUUID(), Instant.parse("2026-12-03T08:00:00Z").plusSeconds(i), "identity",
                    ADMIN, actions[i], "user", WORKER.toString(), "req-" + i, AuditChain.personalDigest(changes, "203.0.113.7"),
                    previous);
            String hash = AuditChain.hash(link);
            links.add(new StoredLink(link, hash, changes, "203.0.113.7", false));
            previous = hash;
        }
        return links;
    }

    private static AuditChain.Verification verify(List<StoredLink> links, Set<String> erased) {
        AuditChain.Verifier verifier = new AuditChain.Verifier(erased);
        links.forEach(verifier::accept);
        return verifier.result();
    }

    private static StoredLink pseudonymised(StoredLink stored) {
        return new StoredLink(stored.link(), stored.storedHash(), "{\"email\":{\"after\":\"[erased]\",\"before\":null}}", null, true);
    }

    @Test
    void an_untouched_chain_verifies() {
        var result = verify(chain("user.invited", "user.updated", "user.role_changed"), Set.of());

        assertThat(result.valid()).isTrue();
        assertThat(result.checked()).isEqualTo(3);
        assertThat(result.redacted()).isZero();
        assertThat(result.firstBrokenSequenceNo()).isEmpty();
    }

    @Test
    void an_edited_changed_value_breaks_the_chain_at_that_record() {
        List<StoredLink> links = chain("user.invited", "user.updated", "user.role_changed");
        StoredLink second = links.get(1);
        links.set(1, new StoredLink(second.link(), second.storedHash(), "{\"email\":{\"after\":\"x@evil.test\",\"before\":null}}",
                second.clientIp(), false));

        var result = verify(links, Set.of());

        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenSequenceNo()).contains(2L);
    }

    @Test
    void an_edited_actor_breaks_the_chain_at_that_record() {
        List<StoredLink> links = chain("user.invited", "user.updated", "user.role_changed");
        Link l = links.get(2).link();
        Link forged = new Link(l.tenantId(), l.sequenceNo(), l.auditEventId(), l.occurredAt(), l.service(), UUID.randomUUID(),
                l.action(), l.targetType(), l.targetId(), l.requestId(), l.personalDigest(), l.previousHash());
        links.set(2, new StoredLink(forged, links.get(2).storedHash(), links.get(2).canonicalChanges(), links.get(2).clientIp(), false));

        assertThat(verify(links, Set.of()).firstBrokenSequenceNo()).contains(3L);
    }

    @Test
    void a_deleted_record_breaks_the_chain_where_it_was() {
        List<StoredLink> links = chain("user.invited", "user.updated", "user.role_changed");
        links.remove(1);

        assertThat(verify(links, Set.of()).firstBrokenSequenceNo()).contains(3L);
    }

    @Test
    void records_pseudonymised_after_their_users_erasure_still_verify_and_are_counted() {
        List<StoredLink> links = chain("user.invited", "user.updated", "user.erased");
        links.replaceAll(AuditChainTest::pseudonymised);

        var result = verify(links, Set.of(AuditChain.subject("user", WORKER.toString())));

        assertThat(result.valid()).isTrue();
        assertThat(result.redacted()).isEqualTo(3);
    }

    @Test
    void a_record_pseudonymised_without_an_erasure_of_its_user_breaks_the_chain() {
        List<StoredLink> links = chain("user.invited", "user.updated");
        links.set(1, pseudonymised(links.get(1)));

        var result = verify(links, Set.of(AuditChain.subject("user", UUID.randomUUID().toString())));

        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenSequenceNo()).contains(2L);
    }

    @Test
    void a_record_names_its_actor_its_target_user_and_its_target_file() {
        Link link = chain("user.updated").get(0).link();

        assertThat(AuditChain.namesAny(link, Set.of(AuditChain.subject("user", ADMIN.toString())))).isTrue();
        assertThat(AuditChain.namesAny(link, Set.of(AuditChain.subject("user", WORKER.toString())))).isTrue();
        assertThat(AuditChain.namesAny(link, Set.of(AuditChain.subject("user", UUID.randomUUID().toString())))).isFalse();
        UUID file = UUID.randomUUID();
        Link onAFile = new Link(TENANT, 1, UUID.randomUUID(), Instant.now(), "files", ADMIN, "file.registered", "file",
                file.toString(), null, "d", null);
        assertThat(AuditChain.namesAny(onAFile, Set.of(AuditChain.subject("file", file.toString())))).isTrue();
        assertThat(AuditChain.namesAny(onAFile, Set.of(AuditChain.subject("user", file.toString()))))
                .as("a file whose id happens to be a user's").isFalse();
    }
}
