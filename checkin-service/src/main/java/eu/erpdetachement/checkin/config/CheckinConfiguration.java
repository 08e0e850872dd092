package eu.erpdetachement.checkin.config;

import java.time.Duration;

import javax.sql.DataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;

import com.zaxxer.hikari.HikariDataSource;

import eu.erpdetachement.checkin.app.ProjectedCheckinSettings;
import eu.erpdetachement.checkin.app.TenantCheckinSettings;
import eu.erpdetachement.platform.idempotency.JdbcIdempotency;
import eu.erpdetachement.platform.jdbc.BlockingDataAccess;
import eu.erpdetachement.platform.outbox.JdbcOutbox;
import eu.erpdetachement.platform.revocation.JdbcCallerStateLookup;
import eu.erpdetachement.platform.settings.TenantSettingsView;
import eu.erpdetachement.platform.tracing.Traceparents;
import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import tools.jackson.databind.json.JsonMapper;

@Configuration(proxyBeanMethods = false)
public class CheckinConfiguration {

    @Bean
    @ConditionalOnMissingBean
    TenantCheckinSettings tenantCheckinSettings(TenantSettingsView view) {
        return new ProjectedCheckinSettings(view);
    }

    /**
     * The pool of the service's own statements. Spring Boot makes no DataSource beside an R2DBC
     * connection factory, so it is made here, from {@code spring.datasource.*}, with every wait on the
     * database bounded (a URL that sets the same driver properties overrides them):
     * <ul>
     * <li>a connection from the pool: as long as R2DBC's pool waits (ERP_DB_POOL_ACQUIRE_TIMEOUT);
     * opening one (TCP, then the login): the same;</li>
     * <li>a statement, on the server too: {@code statement_timeout} = the unit of work's bound, so a
     * session whose client vanished (a closed socket) stops waiting on a lock; a transaction left idle
     * ends ({@code idle_in_transaction_session_timeout}, the same);</li>
     * <li>any read, past that bound: {@code socketTimeout} (a database that stopped answering cannot
     * cancel).</li>
     * </ul>
     * The pool starts without a connection, so a silent database neither blocks the start nor a
     * first request, and keeps two idle beside R2DBC's.
     */
    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(@Value("${spring.datasource.url}") String url, @Value("${spring.datasource.username}") String user,
            @Value("${spring.datasource.password}") String password,
            @Value("${spring.datasource.hikari.maximum-pool-size:10}") int poolSize,
            @Value("${spring.r2dbc.pool.max-acquire-time}") Duration acquireTimeout, @Value("${erp.jdbc.timeout}") Duration timeout) {
        HikariDataSource pool = new HikariDataSource();
        pool.setPoolName("checkin-jdbc");
        pool.setJdbcUrl(url);
        pool.setUsername(user);
        pool.setPassword(password);
        pool.setMaximumPoolSize(poolSize);
        pool.setMinimumIdle(Math.min(2, poolSize));
        pool.setConnectionTimeout(acquireTimeout.toMillis());
        pool.setInitializationFailTimeout(-1);
        long connectSeconds = Math.max(1, acquireTimeout.toSeconds());
        long unitSeconds = Math.max(1, timeout.toSeconds()); // BlockingDataAccess's bound, whole seconds
        pool.addDataSourceProperty("connectTimeout", connectSeconds);
        pool.addDataSourceProperty("loginTimeout", connectSeconds);
        pool.addDataSourceProperty("options", "-c statement_timeout=" + unitSeconds * 1000
                + " -c idle_in_transaction_session_timeout=" + unitSeconds * 1000);
        pool.addDataSourceProperty("socketTimeout", unitSeconds + 5);
        return pool;
    }

    /**
     * The check-in service's own data access, on JDBC and virtual threads (decision 0044); the
     * platform's projections, sweeps and settings view stay on R2DBC until the platform is split.
     */
    @Bean(destroyMethod = "dispose")
    BlockingDataAccess blockingDataAccess(DataSource dataSource, @Value("${erp.jdbc.timeout}") Duration timeout,
            ObjectProvider<Tracer> tracer, ObjectProvider<Propagator> propagator) {
        return new BlockingDataAccess(dataSource, timeout, new Traceparents(tracer.getIfAvailable(), propagator.getIfAvailable()));
    }

    @Bean
    JdbcOutbox jdbcOutbox(BlockingDataAccess data, JsonMapper json) {
        return new JdbcOutbox(data.jdbc(), json);
    }

    @Bean
    JdbcIdempotency jdbcIdempotency(BlockingDataAccess data) {
        return new JdbcIdempotency(data.jdbc());
    }

    /** Every request reads its caller's state: on JDBC too, rather than the platform's R2DBC store. */
    @Bean
    @Primary
    JdbcCallerStateLookup jdbcCallerStateLookup(BlockingDataAccess data) {
        return new JdbcCallerStateLookup(data);
    }
}
