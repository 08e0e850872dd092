package eu.erpdetachement.platform.revocation;

import java.time.OffsetDateTime;
import java.util.UUID;

import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import reactor.core.publisher.Mono;

/**
 * {@link CallerStateStore#find} on JDBC (decision 0044): the same statement, read on a virtual
 * thread, for services whose requests' data access is on JDBC; every request of theirs reads it.
 */
public class JdbcCallerStateLookup implements CallerStateLookup {

    private final BlockingDataAccess data;
    private final String lookupSql = CallerStateStore.lookupSql("caller_states");

    public JdbcCallerStateLookup(BlockingDataAccess data) {
        this.data = data;
    }

    @Override
    public Mono<CallerState> find(UUID userId, String sessionId) {
        return data.call(() -> data.jdbc().sql(lookupSql).param("user", userId).param("sid", sessionId == null ? "" : sessionId)
                .query((row, i) -> CallerStateStore.state(row.getObject("tenant_id", UUID.class), row.getString("role_type"),
                        row.getObject("is_active", Boolean.class), row.getObject("worker_id", UUID.class),
                        row.getObject("sessions_valid_after", OffsetDateTime.class),
                        row.getObject("session_ended", Boolean.class)))
                .optional().orElse(CallerState.UNKNOWN));
    }

    /**
     * Whether {@code workerId} names an active worker of the tenant, as far as this service has heard
     * ({@link CallerStateStore#isActiveWorker}); call it from a unit of work, on its thread.
     */
    public boolean isActiveWorker(UUID tenantId, UUID workerId) {
        return Boolean.TRUE.equals(data.jdbc().sql(CallerStateStore.ACTIVE_WORKER_SQL).param("tenant", tenantId)
                .param("worker", workerId).query(Boolean.class).single());
    }
}
