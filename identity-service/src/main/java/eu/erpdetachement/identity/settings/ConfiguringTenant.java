package eu.erpdetachement.identity.settings;

import eu.erpdetachement.platform.audit.AuditRecord;
import eu.erpdetachement.platform.audit.AuditTrail;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.reactive.TransactionalOperator;

import eu.erpdetachement.platform.outbox.OutboxEvent;
import eu.erpdetachement.platform.outbox.OutboxWriter;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.problem.ProblemType;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A tenant admin reads and changes the tenant's settings: a JSON merge patch on the stored
 * overrides, checked against the schema of known keys, written only if nobody changed them since
 * the version the admin read (optimistic concurrency), and announced as TenantSettingsUpdated.
 */
@Service
public class ConfiguringTenant {

    /** Routes to topic erp.identity.tenant-settings.v1, keyed by tenant id. */
    public static final String AGGREGATE_TYPE = "identity.tenant-settings";

    public record Effective(UUID tenantId, ObjectNode settings, long version) {
    }

    public record TenantSettingsUpdated(UUID tenantId, List<String> changedKeys, JsonNode settings, long version,
            UUID updatedBy, Instant updatedAt) {
    }

    private final TenantSettingsStore store;
    private final TenantSettingsSchema schema;
    private final OutboxWriter outbox;
    private final AuditTrail audit;
    private final TransactionalOperator transaction;
    private final JsonMapper json;
    private final Clock clock;

    public ConfiguringTenant(TenantSettingsStore store, TenantSettingsSchema schema, OutboxWriter outbox, AuditTrail audit,
            TransactionalOperator transaction, JsonMapper json, Clock clock) {
        this.audit = audit;
        this.store = store;
        this.schema = schema;
        this.outbox = outbox;
        this.transaction = transaction;
        this.json = json;
        this.clock = clock;
    }

    /** The settings in force: the defaults with the tenant's overrides on top. */
    public Mono<Effective> read(UUID tenantId) {
        return store.find(tenantId)
                .map(stored -> effective(tenantId, (ObjectNode) json.readTree(stored.settingsJson()), stored.version()))
                .defaultIfEmpty(effective(tenantId, json.createObjectNode(), 0));
    }

    public Mono<Effective> patch(Caller admin, String ifMatch, JsonNode settingsPatch) {
        if (ifMatch == null) {
            return Mono.error(new ProblemException(ProblemType.PRECONDITION_REQUIRED,
                    "Send If-Match with the ETag you read, so that concurrent changes are not lost."));
        }
        if (settingsPatch == null || !settingsPatch.isObject()) {
            return Mono.error(ProblemException.validation("settings", "must be a JSON object"));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        return store.find(admin.tenantId())
                .defaultIfEmpty(new TenantSettingsStore.Stored("{}", 0))
                .flatMap(stored -> {
                    if (!ETags.matches(ifMatch, stored.version())) {
                        return Mono.error(stale());
                    }
                    ObjectNode before = (ObjectNode) json.readTree(stored.settingsJson());
                    ObjectNode after = (ObjectNode) JsonMergePatch.apply(before, settingsPatch);
                    var violations = schema.violations(after);
                    if (!violations.isEmpty()) {
                        return Mono.error(ProblemException.validation(violations));
                    }
                    List<String> changed = changedKeys(effective(admin.tenantId(), before, 0).settings(),
                            effective(admin.tenantId(), after, 0).settings());
                    if (changed.isEmpty()) {
                        return Mono.just(effective(admin.tenantId(), before, stored.version()));
                    }
                    long version = stored.version() + 1;
                    Effective result = effective(admin.tenantId(), after, version);
                    return store.write(admin.tenantId(), json.writeValueAsString(after), stored.version(), admin.userId())
                            .flatMap(written -> written ? Mono.just(result) : Mono.error(stale()))
                            .flatMap(r -> outbox.append(OutboxEvent.of(AGGREGATE_TYPE, admin.tenantId().toString(),
                                    "TenantSettingsUpdated", admin.tenantId(), new TenantSettingsUpdated(admin.tenantId(),
                                            changed, r.settings(), version, admin.userId(), now), now))
                                    .then(audit.record(auditRecord(admin, changed, effective(admin.tenantId(), before, 0).settings(),
                                            r.settings())))
                                    .thenReturn(r));
                })
                .as(transaction::transactional);
    }

    /** The settings in force before and after, key by key (settings hold no secret). */
    private static AuditRecord auditRecord(Caller admin, List<String> changed, ObjectNode before, ObjectNode after) {
        AuditRecord.Builder record = AuditRecord.of(admin.tenantId(), admin.userId(), "tenant_settings.updated",
                "tenant_settings", admin.tenantId());
        changed.forEach(key -> record.change(key, before.get(key), after.get(key)));
        return record.build();
    }

    private Effective effective(UUID tenantId, ObjectNode overrides, long version) {
        ObjectNode settings = schema.defaults();
        overrides.properties().forEach(p -> settings.set(p.getKey(), p.getValue()));
        return new Effective(tenantId, settings, version);
    }

    private static List<String> changedKeys(ObjectNode before, ObjectNode after) {
        TreeSet<String> keys = new TreeSet<>(before.propertyNames());
        keys.addAll(after.propertyNames());
        List<String> changed = new ArrayList<>();
        keys.forEach(k -> {
            if (!Objects.equals(before.get(k), after.get(k))) {
                changed.add(k);
            }
        });
        return changed;
    }

    private static ProblemException stale() {
        return new ProblemException(ProblemType.PRECONDITION_FAILED,
                "The settings changed since you read them; read them again and reapply your change.", List.of(), Map.of());
    }
}
