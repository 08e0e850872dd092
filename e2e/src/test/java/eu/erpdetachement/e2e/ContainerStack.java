package eu.erpdetachement.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;
import org.testcontainers.utility.MountableFile;

import eu.erpdetachement.devstack.Devstack;
import eu.erpdetachement.devstack.DevstackConfig;
import eu.erpdetachement.devstack.RunningStack;

/**
 * The e2e suite's stack on Testcontainers ({@code -Ptestcontainers}, decision 0023): PostgreSQL, Kafka,
 * Keycloak and MinIO in containers on random host ports, GreenMail and the five services as the
 * embedded stack starts them, pointed at those ports. Needs a Docker engine; the containers end with
 * the test JVM (Testcontainers' reaper).
 */
final class ContainerStack {

    private ContainerStack() {
    }

    static RunningStack start(DevstackConfig tests) throws Exception {
        Path repository = tests.repository();
        String adminUser = tests.keycloakAdmin();
        String adminPassword = tests.keycloakAdminPassword();

        PostgreSQLContainer postgres = new PostgreSQLContainer(image("postgres", "postgres:17"))
                .withUsername("postgres").withPassword("postgres").withDatabaseName("postgres")
                .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=8", "-c", "max_wal_senders=8",
                        "-c", "max_connections=300", "-c", "synchronous_commit=on", "-c", "log_error_verbosity=terse")
                .withCopyFileToContainer(MountableFile.forHostPath(repository.resolve("deploy/postgres/init.sql")),
                        "/docker-entrypoint-initdb.d/init.sql");
        KafkaContainer kafka = new KafkaContainer(image("kafka", "apache/kafka:4.1.1"))
                .withEnv("KAFKA_NUM_PARTITIONS", "3");
        GenericContainer<?> keycloak = new GenericContainer<>(image("keycloak", "quay.io/keycloak/keycloak:26.4"))
                .withCommand("start-dev", "--import-realm", "--health-enabled=true")
                .withEnv(Map.of(
                        "KC_BOOTSTRAP_ADMIN_USERNAME", adminUser,
                        "KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword,
                        "ERP_IDENTITY_CLIENT_SECRET", tests.identityClientSecret(),
                        "KC_SPI_BRUTE_FORCE_PROTECTOR__DEFAULT_BRUTE_FORCE_DETECTOR__ALLOW_CONCURRENT_REQUESTS", "true",
                        "KC_SPI_EVENTS_LISTENER__JBOSS_LOGGING__ERROR_LEVEL", "debug",
                        "KC_LOG_LEVEL", "info,org.keycloak.services.resources.admin.UserResource:error"))
                .withCopyFileToContainer(MountableFile.forHostPath(repository.resolve("deploy/keycloak/erp-realm.json")),
                        "/opt/keycloak/data/import/erp-realm.json")
                .withExposedPorts(8080, 9000)
                .waitingFor(Wait.forHttp("/health/ready").forPort(9000).withStartupTimeout(Duration.ofMinutes(5)));
        GenericContainer<?> minio = new GenericContainer<>(image("minio", "minio/minio"))
                .withCommand("server", "/data")
                .withEnv(Map.of("MINIO_ROOT_USER", tests.s3AccessKey(), "MINIO_ROOT_PASSWORD", tests.s3SecretKey()))
                .withExposedPorts(9000)
                .waitingFor(Wait.forHttp("/minio/health/ready").forPort(9000));

        List<GenericContainer<?>> containers = List.of(postgres, kafka, keycloak, minio);
        containers.parallelStream().forEach(GenericContainer::start);
        // the bucket the devstack's S3 server makes, made here with the image's own client
        minio.execInContainer("mc", "alias", "set", "local", "http://127.0.0.1:9000", tests.s3AccessKey(), tests.s3SecretKey());
        minio.execInContainer("mc", "mb", "--ignore-existing", "local/erp-files");

        // the devstack adds its port offset to every port it reads: give the mapped ports less that offset
        int offset = tests.portOffset();
        DevstackConfig config = tests.withEnvironment(Map.of(
                "ERP_DEVSTACK_EXTERNAL", "postgres,kafka,keycloak,s3",
                "ERP_PG_PORT", Integer.toString(postgres.getMappedPort(5432) - offset),
                "ERP_KAFKA_PORT", Integer.toString(kafka.getMappedPort(9092) - offset),
                "ERP_KEYCLOAK_PORT", Integer.toString(keycloak.getMappedPort(8080) - offset),
                "ERP_KEYCLOAK_MGMT_PORT", Integer.toString(keycloak.getMappedPort(9000) - offset),
                "ERP_S3_PORT", Integer.toString(minio.getMappedPort(9000) - offset)));
        return Devstack.start(config);
    }

    /** An image named by -De2e.image.NAME (the profile passes the build's versions), else the default. */
    private static String image(String name, String fallback) {
        return System.getProperty("e2e.image." + name, fallback);
    }
}
