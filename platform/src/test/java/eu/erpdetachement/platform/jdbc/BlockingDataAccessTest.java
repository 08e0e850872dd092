package eu.erpdetachement.platform.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.TransactionTimedOutException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import eu.erpdetachement.platform.tracing.Traceparents;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

class BlockingDataAccessTest {

    // never connected to: these units run no statement
    private final BlockingDataAccess data = new BlockingDataAccess(new DriverManagerDataSource("jdbc:postgresql://127.0.0.1:1/none"),
            Duration.ofSeconds(5), new Traceparents(null, null));

    @AfterEach
    void dispose() {
        data.dispose();
    }

    @Test
    void a_unit_subscribed_from_an_event_loop_like_thread_runs_on_a_virtual_thread() {
        assertThat(Thread.currentThread().isVirtual()).isFalse();
        assertThat(data.call(() -> Thread.currentThread().isVirtual()).block()).isTrue();
    }

    @Test
    void a_unit_subscribed_from_a_virtual_thread_runs_on_that_thread() throws Exception {
        Thread[] ran = new Thread[2];
        Thread caller = Thread.ofVirtual().start(() -> {
            ran[0] = Thread.currentThread();
            data.call(() -> ran[1] = Thread.currentThread()).block();
        });
        caller.join();
        assertThat(ran[1]).isSameAs(ran[0]);
    }

    @Test
    void a_unit_whose_request_is_cancelled_runs_on_uninterrupted() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        Disposable request = data.call(() -> {
            started.countDown();
            try {
                release.await(); // a statement in progress: an interrupt would close its socket
            } catch (InterruptedException e) {
                interrupted.set(true);
            }
            done.countDown();
            return 1;
        }).subscribe();
        started.await();
        request.dispose();
        release.countDown();
        done.await();
        assertThat(interrupted).isFalse();
    }

    @Test
    void a_unit_started_inside_a_units_transaction_gets_a_thread_of_its_own() throws Exception {
        Thread[] ran = new Thread[2];
        Thread caller = Thread.ofVirtual().start(() -> {
            ran[0] = Thread.currentThread();
            TransactionSynchronizationManager.setActualTransactionActive(true);
            try {
                data.call(() -> ran[1] = Thread.currentThread()).block();
            } finally {
                TransactionSynchronizationManager.setActualTransactionActive(false);
            }
        });
        caller.join();
        assertThat(ran[1]).isNotSameAs(ran[0]);
        assertThat(ran[1].isVirtual()).isTrue();
    }

    @Test
    void nothing_found_is_empty() {
        assertThat(data.call(() -> null).hasElement().block()).isFalse();
    }

    @Test
    void a_bound_that_ran_out_fails_as_a_timeout_and_other_failures_as_themselves() {
        assertThatThrownBy(() -> data.call(() -> {
            throw new TransactionTimedOutException("deadline passed");
        }).block()).hasCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> Mono.error(new DataIntegrityViolationException("duplicate")).then(data.call(() -> 1)).block())
                .isInstanceOf(DataIntegrityViolationException.class);
    }

    @Test
    void which_failures_are_a_bound_that_ran_out() {
        assertThat(BlockingDataAccess.isBoundReached(new TransactionTimedOutException("deadline"))).isTrue();
        assertThat(BlockingDataAccess.isBoundReached(new CannotGetJdbcConnectionException("pool",
                new SQLTransientConnectionException("Connection is not available, request timed out after 2000ms")))).isTrue();
        assertThat(BlockingDataAccess.isBoundReached(new UncategorizedSQLException("insert", "INSERT ...",
                new SQLException("canceling statement due to statement timeout", "57014")))).isTrue();
        assertThat(BlockingDataAccess.isBoundReached(new DataAccessResourceFailureException("read",
                new SQLException("An I/O error occurred", "08006", new SocketTimeoutException("Read timed out"))))).isTrue();
        assertThat(BlockingDataAccess.isBoundReached(new DataIntegrityViolationException("duplicate",
                new SQLException("duplicate key", "23505")))).isFalse();
    }
}
