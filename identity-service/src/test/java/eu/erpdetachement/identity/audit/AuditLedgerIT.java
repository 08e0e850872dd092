package eu.erpdetachement.identity.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.identity.domain.AuditChain;
import eu.erpdetachement.platform.testkit.TestPostgres;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactory;
import tools.jackson.databind.json.JsonMapper;

/** The audit ledger on a real PostgreSQL, with identity's own migrations and role. */
class AuditLedgerIT {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static AuditLedger ledger;
    private static TransactionalOperator transaction;

    private final UUID tenant = UUID.randomUUID();
    private final UUID admin = UUID.randomUUID();
    private final UUID worker = UUID.randomUUID();

    @BeforeAll
    static void migrate() {
        Map<String, String> spring = TestPostgres.springProperties("identity", "identity_svc");
        Flyway.configure().dataSource(spring.get("spring.flyway.url"), "identity_svc", "identity_svc")
                .schemas("identity").defaultSchema("identity").load().migrate();
        ConnectionFactory connections = ConnectionFactories.get(spring.get("spring.r2dbc.url")
                .replace("r2dbc:postgresql://", "r2dbc:postgresql://identity_svc:identity_svc@"));
        ledger = new AuditLedger(DatabaseClient.create(connections), Clock.systemUTC());
        transaction = TransactionalOperator.create(new R2dbcTransactionManager(connections));
    }

    private AuditEntry entry(UUID actor, String action, String targetType, String targetId, String changesJson) {
        return new AuditEntry(UUID.randomUUID(), tenant, Instant.now(), "identity", actor, action, targetType, targetId,
                JSON.readTree(changesJson), "203.0.113.7", "req-" + UUID.randomUUID());
    }

    private boolean append(AuditEntry entry) {
        return ledger.append(entry).as(transaction::transactional).block();
    }

    private AuditChain.Verification verify() {
        AuditChain.Verifier verifier = new AuditChain.Verifier(ledger.erasedSubjects(tenant).block());
        ledger.chain(tenant).toIterable().forEach(verifier::accept);
        return verifier.result();
    }

    @Test
    void records_are_chained_in_order_and_a_record_delivered_twice_is_appended_once() {
        AuditEntry invited = entry(admin, "user.invited", "user", worker.toString(), "{\"email\":{\"before\":null,\"after\":\"w@acme.test\"}}");
        assertThat(append(invited)).isTrue();
        assertThat(append(invited)).as("the same event id again").isFalse();
        append(entry(admin, "user.role_changed", "user", worker.toString(), "{\"role_type\":{\"before\":\"worker\",\"after\":\"manager\"}}"));

        List<AuditRecordEntry> newestFirst = ledger.page(tenant, new AuditLedger.Filter(null, null, null, null, null, null), null, 10)
                .collectList().block();
        assertThat(newestFirst).extracting(e -> e.link().action()).containsExactly("user.role_changed", "user.invited");
        assertThat(newestFirst.get(0).link().previousHash()).isEqualTo(newestFirst.get(1).hash());
        assertThat(verify().valid()).isTrue();
        assertThat(verify().checked()).isEqualTo(2);
    }

    @Test
    void filters_narrow_the_trail_to_an_actor_a_target_and_an_action() {
        UUID other = UUID.randomUUID();
        append(entry(admin, "user.invited", "user", worker.toString(), "{}"));
        append(entry(other, "user.updated", "user", other.toString(), "{}"));
        append(entry(null, "file.expired", "file", UUID.randomUUID().toString(), "{}"));

        assertThat(page(new AuditLedger.Filter(other, null, null, null, null, null))).containsExactly("user.updated");
        assertThat(page(new AuditLedger.Filter(null, "user", worker.toString(), null, null, null))).containsExactly("user.invited");
        assertThat(page(new AuditLedger.Filter(null, null, null, "file.expired", null, null))).containsExactly("file.expired");
        assertThat(page(new AuditLedger.Filter(null, null, null, null, Instant.now().plusSeconds(60), null))).isEmpty();
    }

    private List<String> page(AuditLedger.Filter filter) {
        return ledger.page(tenant, filter, null, 10).map(e -> e.link().action()).collectList().block();
    }

    @Test
    void racing_appends_of_one_tenant_make_one_gapless_chain() throws Exception {
        int writers = 8;
        int each = 10;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> done = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
            done.add(pool.submit(() -> {
                start.await();
                for (int i = 0; i < each; i++) {
                    append(entry(admin, "user.updated", "user", worker.toString(), "{\"language\":{\"before\":\"fr\",\"after\":\"en\"}}"));
                }
                return null;
            }));
        }
        start.countDown();
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();

        AuditChain.Verification result = verify();
        assertThat(result.valid()).isTrue();
        assertThat(result.checked()).isEqualTo(writers * each);
    }

    @Test
    void an_erasure_pseudonymises_every_record_naming_the_user_and_the_chain_still_verifies() throws SQLException {
        append(entry(admin, "user.invited", "user", worker.toString(), "{\"email\":{\"before\":null,\"after\":\"w@acme.test\"}}"));
        append(entry(worker, "auth.password_reset", "user", worker.toString(), "{}"));
        append(entry(admin, "tenant_settings.updated", "tenant_settings", tenant.toString(), "{\"timezone\":{\"before\":\"Europe/Paris\",\"after\":\"Europe/Berlin\"}}"));
        append(entry(admin, "user.erased", "user", worker.toString(), "{}"));
        // a record about the user that arrives after the erasure (another service's topic lagging)
        append(entry(worker, "check_event.recorded", "check_event", UUID.randomUUID().toString(), "{\"source\":{\"before\":null,\"after\":\"web\"}}"));

        assertThat(text("SELECT string_agg(changes::text, '') FROM identity.audit_ledger "
                + "WHERE tenant_id = '" + tenant + "' AND (actor_id = '" + worker + "' OR target_id = '" + worker + "')"))
                .doesNotContain("w@acme.test").doesNotContain("web");
        assertThat(text("SELECT count(*) FROM identity.audit_ledger WHERE tenant_id = '" + tenant + "' AND actor_id = '"
                + worker + "' AND client_ip IS NOT NULL")).as("the addresses the user acted from").isEqualTo("0");
        assertThat(text("SELECT string_agg(client_ip, ',') FROM identity.audit_ledger WHERE tenant_id = '" + tenant
                + "' AND actor_id = '" + admin + "' AND target_id = '" + worker + "'"))
                .as("the admin's address on the records about the user is the admin's, kept").contains("203.0.113.7");
        assertThat(text("SELECT changes::text FROM identity.audit_ledger WHERE tenant_id = '" + tenant + "' AND action = 'tenant_settings.updated'"))
                .as("a record naming nobody erased is kept as it was").contains("Europe/Berlin");
        AuditChain.Verification result = verify();
        assertThat(result.valid()).isTrue();
        assertThat(result.redacted()).isEqualTo(4);
    }

    @Test
    void a_record_naming_two_erased_users_is_pseudonymised_for_each() throws SQLException {
        UUID manager = UUID.randomUUID();
        append(entry(manager, "user.updated", "user", worker.toString(), "{\"language\":{\"before\":\"fr\",\"after\":\"de\"}}"));
        append(entry(admin, "user.erased", "user", worker.toString(), "{}"));
        append(entry(admin, "user.erased", "user", manager.toString(), "{}"));

        assertThat(text("SELECT changes::text || '|' || coalesce(client_ip, 'none') FROM identity.audit_ledger WHERE tenant_id = '"
                + tenant + "' AND action = 'user.updated'")).doesNotContain("\"de\"").endsWith("|none");
        assertThat(verify().valid()).isTrue();
    }

    @Test
    void a_files_erasure_pseudonymises_the_records_about_that_file_only() throws SQLException {
        UUID file = UUID.randomUUID();
        UUID otherFile = UUID.randomUUID();
        append(entry(admin, "file.registered", "file", file.toString(), "{\"filename\":{\"before\":null,\"after\":\"w@acme.test A1.pdf\"}}"));
        append(entry(admin, "file.registered", "file", otherFile.toString(), "{\"filename\":{\"before\":null,\"after\":\"contract.pdf\"}}"));
        append(entry(null, "file.erased", "file", file.toString(), "{}"));
        append(entry(admin, "file.linked", "file", file.toString(), "{\"purpose\":{\"before\":null,\"after\":\"a1_certificate\"}}"));

        assertThat(text("SELECT string_agg(changes::text, '') FROM identity.audit_ledger WHERE tenant_id = '" + tenant
                + "' AND target_id = '" + file + "'")).doesNotContain("w@acme.test").doesNotContain("a1_certificate");
        assertThat(text("SELECT string_agg(client_ip, ',') FROM identity.audit_ledger WHERE tenant_id = '" + tenant
                + "' AND target_id = '" + file + "' AND actor_id IS NOT NULL")).as("the admin's address, kept").contains("203.0.113.7");
        assertThat(text("SELECT changes::text FROM identity.audit_ledger WHERE tenant_id = '" + tenant + "' AND target_id = '"
                + otherFile + "'")).contains("contract.pdf");
        AuditChain.Verification result = verify();
        assertThat(result.valid()).isTrue();
        assertThat(result.redacted()).isEqualTo(3);
    }

    @Test
    void the_ledger_refuses_deletes_and_edits_and_an_edit_behind_its_back_is_found() throws SQLException {
        append(entry(admin, "user.invited", "user", worker.toString(), "{\"email\":{\"before\":null,\"after\":\"w@acme.test\"}}"));
        append(entry(admin, "user.role_changed", "user", worker.toString(), "{\"role_type\":{\"before\":\"worker\",\"after\":\"manager\"}}"));

        assertThatThrownBy(() -> execute("DELETE FROM identity.audit_ledger WHERE tenant_id = '" + tenant + "'"))
                .hasMessageContaining("append-only");
        assertThatThrownBy(() -> execute("UPDATE identity.audit_ledger SET action = 'user.updated' WHERE tenant_id = '" + tenant + "'"))
                .hasMessageContaining("pseudonymisation");

        // someone with the database's keys disables the trigger and rewrites history
        execute("ALTER TABLE identity.audit_ledger DISABLE TRIGGER audit_ledger_append_only");
        try {
            execute("UPDATE identity.audit_ledger SET changes = '{\"role_type\":{\"before\":\"worker\",\"after\":\"tenant_admin\"}}' "
                    + "WHERE tenant_id = '" + tenant + "' AND sequence_no = 2");
        } finally {
            execute("ALTER TABLE identity.audit_ledger ENABLE TRIGGER audit_ledger_append_only");
        }
        AuditChain.Verification result = verify();
        assertThat(result.valid()).isFalse();
        assertThat(result.firstBrokenSequenceNo()).contains(2L);
    }

    @Test
    void tenants_have_chains_of_their_own() {
        append(entry(admin, "user.invited", "user", worker.toString(), "{}"));
        UUID otherTenant = UUID.randomUUID();
        ledger.append(new AuditEntry(UUID.randomUUID(), otherTenant, Instant.now(), "files", null, "file.expired", "file",
                UUID.randomUUID().toString(), JSON.readTree("{}"), null, null)).as(transaction::transactional).block();

        assertThat(page(new AuditLedger.Filter(null, null, null, null, null, null))).containsExactly("user.invited");
        assertThat(ledger.chain(otherTenant).collectList().block()).singleElement()
                .satisfies(link -> assertThat(link.link().sequenceNo()).isEqualTo(1));
        assertThat(ledger.erasedSubjects(tenant).block()).isEqualTo(Set.of());
    }

    @Test
    void the_erasure_lookup_of_every_append_reads_the_erasures_index_not_the_tenants_whole_ledger() throws SQLException {
        String sql = AuditLedger.ERASED_AMONG.replace(":tenant", "'" + tenant + "'::uuid").replace(":subjects", "ARRAY['user:x']");
        try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement()) {
            s.execute("SET search_path = identity");
            s.execute("SET enable_seqscan = off"); // what the planner can use, whatever the table's size in this test
            StringBuilder plan = new StringBuilder();
            try (ResultSet r = s.executeQuery("EXPLAIN " + sql)) {
                while (r.next()) {
                    plan.append(r.getString(1)).append('\n');
                }
            }
            assertThat(plan.toString()).contains("audit_ledger_erasures");
        }
    }

    private static void execute(String sql) throws SQLException {
        try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static String text(String sql) throws SQLException {
        try (Connection c = TestPostgres.superuserConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getString(1);
        }
    }
}
