package eu.erpdetachement.platform.jdbc;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

import eu.erpdetachement.platform.tracing.Traceparents;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * JDBC behind the reactive web layer (decision 0044): each unit of work runs whole on a virtual
 * thread (its own, or the one its request already runs on), so its statements block that thread and
 * no event loop, and its transaction is the thread's, as JDBC's are. A check-in's SQL costs a third of the CPU this way that it costs
 * through R2DBC's operators (docs/performance.md, issue 14's ninth round).
 * <p>
 * Every unit is bounded by {@code timeout}, in whole seconds: a transaction from its first statement
 * on (each statement gets the time left as its query timeout, and PostgreSQL cancels one still
 * running, a lock wait included), a statement outside a transaction by itself. The wait for a
 * connection is the pool's own bound, before it.
 * <p>
 * A request that is cancelled (its client went away, the gateway's timeout) does not stop a unit
 * already running, and never interrupts its thread: an interrupted virtual thread's socket is
 * closed, which would leave its PostgreSQL session waiting on whatever lock it waited for, its
 * query timeout cancelled with it. The unit commits or rolls back as it would have, and its answer
 * is dropped.
 */
public class BlockingDataAccess {

    /** PostgreSQL's SQLSTATE of a statement cancelled at its timeout. */
    private static final String QUERY_CANCELED = "57014";

    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    /**
     * A plain {@code Executor}: a cancelled task is dropped, never interrupted. Given the
     * {@code ExecutorService} itself, {@code fromExecutor} would make the interrupting scheduler of
     * {@code fromExecutorService}.
     */
    private final Scheduler virtualThreads = Schedulers.fromExecutor(task -> executor.execute(task));
    private final JdbcClient jdbc;
    private final TransactionTemplate transaction;
    private final TransactionTemplate snapshot;
    private final Traceparents traceparents;

    public BlockingDataAccess(DataSource dataSource, Duration timeout, Traceparents traceparents) {
        int seconds = Math.toIntExact(Math.max(1, timeout.toSeconds()));
        JdbcTemplate template = new JdbcTemplate(dataSource);
        template.setQueryTimeout(seconds); // inside a transaction, the transaction's time left applies instead
        this.jdbc = JdbcClient.create(template);
        JdbcTransactionManager transactions = new JdbcTransactionManager(dataSource);
        this.transaction = new TransactionTemplate(transactions);
        this.transaction.setTimeout(seconds);
        // a chain lives in two tables: a read of it sees one snapshot, or a write between its statements shows a gap
        this.snapshot = new TransactionTemplate(transactions);
        this.snapshot.setIsolationLevel(TransactionDefinition.ISOLATION_REPEATABLE_READ);
        this.snapshot.setReadOnly(true);
        this.snapshot.setTimeout(seconds);
        this.traceparents = traceparents;
    }

    /** The client the units' statements go through (on their thread, in their transaction if any). */
    public JdbcClient jdbc() {
        return jdbc;
    }

    /** Reads or a single statement, each statement on its own; empty when the work answers null. */
    public <T> Mono<T> call(Supplier<T> work) {
        return bounded(Mono.fromSupplier(work));
    }

    /** A change: its statements commit together or not at all. */
    public <T> Mono<T> inTransaction(Function<RequestScope, T> work) {
        return Mono.deferContextual(context -> {
            RequestScope scope = RequestScope.of(context, traceparents);
            return bounded(Mono.fromCallable(() -> transaction.execute(status -> work.apply(scope))));
        });
    }

    /** Reads that must see one snapshot (repeatable read, read-only); empty when the work answers null. */
    public <T> Mono<T> inSnapshot(Supplier<T> work) {
        return bounded(Mono.fromCallable(() -> snapshot.execute(status -> work.get())));
    }

    /**
     * On a virtual thread; a bound that ran out (no connection within the pool's timeout, a statement
     * cancelled at the transaction's deadline) fails as a {@link TimeoutException}, which every
     * service answers with 504 like the R2DBC pool's own acquire timeout.
     */
    private <T> Mono<T> bounded(Mono<T> work) {
        // a request whose chain already runs on a virtual thread (it continues on the one that read its
        // caller's state) blocks that one: another would cost a start, a hand-off and a wake-up; never
        // inside a unit's transaction, which the work would silently join
        return Mono.defer(() -> Thread.currentThread().isVirtual() && !TransactionSynchronizationManager.isActualTransactionActive()
                        ? work : work.subscribeOn(virtualThreads))
                .onErrorMap(BlockingDataAccess::isBoundReached,
                e -> (TimeoutException) new TimeoutException("The database did not answer in time: " + e.getMessage()).initCause(e));
    }

    static boolean isBoundReached(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof TransactionTimedOutException || t instanceof SQLTransientConnectionException
                    || t instanceof SocketTimeoutException // a database that stopped answering, past the statement's bound
                    || t instanceof SQLException sql && QUERY_CANCELED.equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    public void dispose() {
        virtualThreads.dispose();
        executor.shutdown();
    }
}
