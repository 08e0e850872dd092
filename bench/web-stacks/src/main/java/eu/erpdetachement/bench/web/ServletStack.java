package eu.erpdetachement.bench.web;

import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import jakarta.validation.Valid;

/**
 * Spring MVC on Tomcat, each request on a virtual thread ({@code spring.threads.virtual.enabled}),
 * PgJDBC and HikariCP: what a service on a blocking stack would run.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
class ServletStack {

    @Bean
    JwtDecoder jwtDecoder(BenchTokens tokens) {
        return NimbusJwtDecoder.withPublicKey(tokens.publicKey()).build();
    }

    @Bean
    SecurityFilterChain security(HttpSecurity http, JwtDecoder decoder) throws Exception {
        return http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .sessionManagement(sessions -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests.requestMatchers("/actuator/**").permitAll().anyRequest().authenticated())
                .oauth2ResourceServer(server -> server.jwt(jwt -> jwt.decoder(decoder)))
                .build();
    }

    @Bean(destroyMethod = "close")
    HikariDataSource dataSource(@Value("${bench.web.db-port}") int port, @Value("${bench.web.db-pool-size}") int size) {
        return hikari(port, size);
    }

    static HikariDataSource hikari(int port, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:postgresql://localhost:" + port + "/erp");
        config.setUsername("checkin_svc");
        config.setPassword("checkin_svc");
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(size);
        return new HikariDataSource(config);
    }

    @RestController
    @ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
    static class ServletCheckIns {

        private final JdbcClient db;
        private final TransactionTemplate transaction;

        ServletCheckIns(HikariDataSource dataSource) {
            this.db = JdbcClient.create(dataSource);
            this.transaction = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        }

        @PostMapping(path = CheckIns.ROUTE, consumes = MediaType.APPLICATION_JSON_VALUE)
        ResponseEntity<CheckIns.Recorded> record(@PathVariable("mission_id") UUID missionId,
                @Valid @RequestBody CheckIns.Request request, @AuthenticationPrincipal Jwt caller) {
            String n = CheckIns.nextNumber();
            CheckInSql.blocking(db, transaction, n);
            return CheckIns.created(missionId, request, caller.getSubject(), n);
        }

        @PostMapping(path = CheckIns.ROUTE_WITHOUT_SQL, consumes = MediaType.APPLICATION_JSON_VALUE)
        ResponseEntity<CheckIns.Recorded> recordWithoutSql(@PathVariable("mission_id") UUID missionId,
                @Valid @RequestBody CheckIns.Request request, @AuthenticationPrincipal Jwt caller) {
            return CheckIns.created(missionId, request, caller.getSubject(), CheckIns.nextNumber());
        }
    }
}
