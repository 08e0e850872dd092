package eu.erpdetachement.checkin.app;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;
import org.springframework.transaction.ReactiveTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.DefaultTransactionDefinition;

import eu.erpdetachement.checkin.domain.ChainRecords;
import eu.erpdetachement.checkin.store.CheckEventStore;
import reactor.core.publisher.Mono;

/**
 * Reads of whole chains. A chain lives in two tables, so each read runs in one read-only snapshot
 * (repeatable read): a check-in and a correction committed between its statements would otherwise
 * show a chain with a gap, which verifies as broken.
 */
@Service
public class ChainReads {

    private final CheckEventStore store;
    private final TransactionalOperator snapshot;

    public ChainReads(CheckEventStore store, ReactiveTransactionManager transactions) {
        this.store = store;
        DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
        definition.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        definition.setReadOnly(true);
        this.snapshot = TransactionalOperator.create(transactions, definition);
    }

    public Mono<ChainRecords> chain(UUID tenantId, UUID missionId, UUID workerId) {
        return store.records(tenantId, missionId, workerId).as(snapshot::transactional);
    }

    /** Every chain of the worker with an event or a correction in [from, to), whole, in mission order. */
    public Mono<List<ChainRecords>> chainsOfWorker(UUID tenantId, UUID workerId, Instant from, Instant to) {
        return store.missionsOfWorker(tenantId, workerId, from, to).collectList()
                .flatMapIterable(missions -> missions)
                .concatMap(mission -> store.records(tenantId, mission, workerId))
                .collectList()
                .as(snapshot::transactional);
    }
}
