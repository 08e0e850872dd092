package eu.erpdetachement.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import javax.sql.DataSource;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.TransactionTemplate;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import eu.erpdetachement.bench.web.CheckInSql;
import eu.erpdetachement.devstack.RunningStack;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A check-in's SQL sent from a JVM through the two client stacks a service could use, beside
 * pgbench: what the database driver and its framework cost per transaction, apart from HTTP, JSON
 * and security. The reactive stack is the services' own (R2DBC's PostgreSQL driver and pool,
 * Spring's {@link DatabaseClient} and {@link TransactionalOperator}); the blocking one is what a
 * Spring MVC service on virtual threads would run (PgJDBC, HikariCP, {@link JdbcClient},
 * {@link TransactionTemplate}). Both send the same statements, with the same values, as pgbench's
 * script of section 1: the caller's state, then a transaction that locks the chain and reads its
 * head, and inserts the event with its two outbox rows.
 */
final class DriverCost {

    /** One way of running the transactions: {@link #run} loads it with {@code clients} for {@code duration}. */
    interface Client extends AutoCloseable {

        String name();

        /** Transactions completed. */
        long run(int clients, Duration duration) throws Exception;

        @Override
        void close();
    }

    /** Transactions per second and CPU per transaction of this JVM and of PostgreSQL, over one run. */
    record Row(String client, double perSecond, double jvmCpuMs, double postgresCpuMs) {
    }

    static Row measure(RunningStack stack, Client client, int clients, Duration duration) throws Exception {
        CpuMeter postgres = CpuMeter.start(stack, CpuMeter.POSTGRES);
        long jvmBefore = CpuMeter.thisJvmNanos();
        long started = System.nanoTime();
        long transactions = client.run(clients, duration);
        double seconds = (System.nanoTime() - started) / 1e9;
        double jvm = CpuMeter.msPerRequest(CpuMeter.thisJvmNanos() - jvmBefore, transactions);
        Map<String, Double> db = postgres.perRequest(transactions);
        return new Row(client.name(), transactions / seconds, jvm, db.get(CpuMeter.POSTGRES));
    }

    /** Past pgbench's random range (1 to 10¹²): every transaction a chain of its own, whichever client sent it. */
    private static final AtomicLong NEXT = new AtomicLong(10_000_000_000_000L);

    private static String n() {
        return Long.toString(NEXT.incrementAndGet());
    }

    /** The services' stack: R2DBC on Reactor Netty, Spring's reactive transaction. */
    static Client reactive(RunningStack stack, int poolSize) {
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host("localhost").port(stack.config().postgresPort()).database("erp")
                .username("checkin_svc").password("checkin_svc").build());
        ConnectionPool pool = new ConnectionPool(ConnectionPoolConfiguration.builder(factory)
                .initialSize(poolSize).maxSize(poolSize).build());
        DatabaseClient db = DatabaseClient.create(pool);
        TransactionalOperator transaction = TransactionalOperator.create(new R2dbcTransactionManager(pool));
        return new Client() {
            @Override
            public String name() {
                return "R2DBC (r2dbc-postgresql, r2dbc-pool, DatabaseClient, TransactionalOperator)";
            }

            private Mono<Void> checkIn() {
                return CheckInSql.reactive(db, transaction, n());
            }

            @Override
            public long run(int clients, Duration duration) {
                LongAdder done = new LongAdder();
                Instant end = Instant.now().plus(duration);
                Flux.range(0, clients)
                        .flatMap(i -> Mono.defer(this::checkIn).doOnSuccess(v -> done.increment())
                                .repeat(() -> Instant.now().isBefore(end)), clients)
                        .blockLast(duration.plusMinutes(1));
                return done.sum();
            }

            @Override
            public void close() {
                pool.dispose();
            }
        };
    }

    /** What a Spring MVC service on virtual threads would run: PgJDBC, HikariCP, Spring's JDBC transaction. */
    static Client blocking(RunningStack stack, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(stack.jdbcUrl());
        config.setUsername("checkin_svc");
        config.setPassword("checkin_svc");
        config.setMaximumPoolSize(poolSize);
        config.setMinimumIdle(poolSize);
        HikariDataSource dataSource = new HikariDataSource(config);
        JdbcClient db = JdbcClient.create((DataSource) dataSource);
        TransactionTemplate transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        return new Client() {
            @Override
            public String name() {
                return "JDBC on virtual threads (PgJDBC, HikariCP, JdbcClient, TransactionTemplate)";
            }

            private void checkIn() {
                CheckInSql.blocking(db, transaction, n());
            }

            @Override
            public long run(int clients, Duration duration) throws Exception {
                LongAdder done = new LongAdder();
                Instant end = Instant.now().plus(duration);
                List<Thread> threads = new ArrayList<>();
                for (int i = 0; i < clients; i++) {
                    threads.add(Thread.ofVirtual().start(() -> {
                        while (Instant.now().isBefore(end)) {
                            checkIn();
                            done.increment();
                        }
                    }));
                }
                for (Thread thread : threads) {
                    thread.join(duration.plusMinutes(1));
                }
                return done.sum();
            }

            @Override
            public void close() {
                dataSource.close();
            }
        };
    }

    private DriverCost() {
    }
}
