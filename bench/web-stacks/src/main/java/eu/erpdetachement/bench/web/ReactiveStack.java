package eu.erpdetachement.bench.web;

import java.util.UUID;
import java.util.concurrent.Executors;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.r2dbc.connection.R2dbcTransactionManager;
import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.NimbusReactiveJwtDecoder;
import org.springframework.security.oauth2.jwt.ReactiveJwtDecoder;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.security.web.server.context.NoOpServerSecurityContextRepository;
import org.springframework.security.web.server.savedrequest.NoOpServerRequestCache;
import org.springframework.transaction.reactive.TransactionalOperator;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.zaxxer.hikari.HikariDataSource;

import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionConfiguration;
import io.r2dbc.postgresql.PostgresqlConnectionFactory;
import jakarta.validation.Valid;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/** The services' stack: WebFlux on Reactor Netty, R2DBC's PostgreSQL driver and pool. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
class ReactiveStack {

    /** Tomcat is on the class path too (for the servlet app): the reactive app serves on Netty, as the services. */
    @Bean
    NettyReactiveWebServerFactory nettyServer() {
        return new NettyReactiveWebServerFactory();
    }

    @Bean
    ReactiveJwtDecoder jwtDecoder(BenchTokens tokens) {
        return NimbusReactiveJwtDecoder.withPublicKey(tokens.publicKey()).build();
    }

    @Bean
    SecurityWebFilterChain security(ServerHttpSecurity http, ReactiveJwtDecoder decoder) {
        // as the services' (platform ResourceServerConfiguration): with a session repository, each request
        // would create a WebSession, on two other schedulers
        return http.csrf(ServerHttpSecurity.CsrfSpec::disable)
                .httpBasic(ServerHttpSecurity.HttpBasicSpec::disable)
                .formLogin(ServerHttpSecurity.FormLoginSpec::disable)
                .logout(ServerHttpSecurity.LogoutSpec::disable)
                .requestCache(cache -> cache.requestCache(NoOpServerRequestCache.getInstance()))
                .securityContextRepository(NoOpServerSecurityContextRepository.getInstance())
                .authorizeExchange(exchanges -> exchanges.pathMatchers("/actuator/**").permitAll().anyExchange().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.jwtDecoder(decoder)))
                .build();
    }

    @Bean(destroyMethod = "dispose")
    ConnectionPool connectionPool(@Value("${bench.web.db-port}") int port, @Value("${bench.web.db-pool-size}") int size) {
        PostgresqlConnectionFactory factory = new PostgresqlConnectionFactory(PostgresqlConnectionConfiguration.builder()
                .host("localhost").port(port).database("erp").username("checkin_svc").password("checkin_svc").build());
        return new ConnectionPool(ConnectionPoolConfiguration.builder(factory).initialSize(size).maxSize(size).build());
    }

    /** JDBC beside R2DBC: the check-in's SQL on virtual threads behind the reactive web stack. */
    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(@Value("${bench.web.db-port}") int port, @Value("${bench.web.db-pool-size}") int size) {
        return ServletStack.hikari(port, size);
    }

    @RestController
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
    static class ReactiveCheckIns {

        private final DatabaseClient db;
        private final TransactionalOperator transaction;
        private final JdbcClient jdbc;
        private final TransactionTemplate jdbcTransaction;
        private final Scheduler virtualThreads = Schedulers.fromExecutorService(Executors.newVirtualThreadPerTaskExecutor(), "jdbc");

        ReactiveCheckIns(ConnectionPool pool, HikariDataSource dataSource) {
            this.db = DatabaseClient.create(pool);
            this.transaction = TransactionalOperator.create(new R2dbcTransactionManager(pool));
            this.jdbc = JdbcClient.create(dataSource);
            this.jdbcTransaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        }

        @PostMapping(path = CheckIns.ROUTE_ON_JDBC, consumes = MediaType.APPLICATION_JSON_VALUE)
        Mono<ResponseEntity<CheckIns.Recorded>> recordOnJdbc(@PathVariable("mission_id") UUID missionId,
                @Valid @RequestBody CheckIns.Request request, @AuthenticationPrincipal Jwt caller) {
            String n = CheckIns.nextNumber();
            return Mono.fromRunnable(() -> CheckInSql.blocking(jdbc, jdbcTransaction, n)).subscribeOn(virtualThreads)
                    .then(Mono.fromSupplier(() -> CheckIns.created(missionId, request, caller.getSubject(), n)));
        }

        @PostMapping(path = CheckIns.ROUTE, consumes = MediaType.APPLICATION_JSON_VALUE)
        Mono<ResponseEntity<CheckIns.Recorded>> record(@PathVariable("mission_id") UUID missionId,
                @Valid @RequestBody CheckIns.Request request, @AuthenticationPrincipal Jwt caller) {
            String n = CheckIns.nextNumber();
            return CheckInSql.reactive(db, transaction, n)
                    .then(Mono.fromSupplier(() -> CheckIns.created(missionId, request, caller.getSubject(), n)));
        }

        @PostMapping(path = CheckIns.ROUTE_WITHOUT_SQL, consumes = MediaType.APPLICATION_JSON_VALUE)
        Mono<ResponseEntity<CheckIns.Recorded>> recordWithoutSql(@PathVariable("mission_id") UUID missionId,
                @Valid @RequestBody CheckIns.Request request, @AuthenticationPrincipal Jwt caller) {
            String n = CheckIns.nextNumber();
            return Mono.fromSupplier(() -> CheckIns.created(missionId, request, caller.getSubject(), n));
        }
    }
}
