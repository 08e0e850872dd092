package eu.erpdetachement.checkin.app;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.springframework.stereotype.Service;

import eu.erpdetachement.checkin.domain.ChainRecords;
import eu.erpdetachement.checkin.store.CheckEventStore;
import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import reactor.core.publisher.Mono;

/**
 * Reads of whole chains. A chain lives in two tables, so each read runs in one read-only snapshot
 * (repeatable read): a check-in and a correction committed between its statements would otherwise
 * show a chain with a gap, which verifies as broken.
 */
@Service
public class ChainReads {

    private final CheckEventStore store;
    private final BlockingDataAccess data;

    public ChainReads(CheckEventStore store, BlockingDataAccess data) {
        this.store = store;
        this.data = data;
    }

    public Mono<ChainRecords> chain(UUID tenantId, UUID missionId, UUID workerId) {
        return data.inSnapshot(() -> store.records(tenantId, missionId, workerId));
    }

    /** Every chain of the worker with an event or a correction in [from, to), whole, in mission order. */
    public Mono<List<ChainRecords>> chainsOfWorker(UUID tenantId, UUID workerId, Instant from, Instant to) {
        return data.inSnapshot(() -> store.missionsOfWorker(tenantId, workerId, from, to).stream()
                .map(mission -> store.records(tenantId, mission, workerId)).toList());
    }
}
