package eu.erpdetachement.files.store;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import eu.erpdetachement.files.config.FilesProperties;

/**
 * Creates the default bucket when the store does not have it yet, so a fresh S3 server or MinIO
 * needs no separate set-up step. A store that is down does not stop the service from starting:
 * uploads answer 503 until it is back.
 */
@Component
class DefaultBucket {

    private static final Logger log = LoggerFactory.getLogger(DefaultBucket.class);

    private final ObjectStore objects;
    private final FilesProperties properties;

    DefaultBucket(ObjectStore objects, FilesProperties properties) {
        this.objects = objects;
        this.properties = properties;
    }

    @EventListener(ApplicationReadyEvent.class)
    void ensure() {
        objects.ensureBucket(properties.bucket())
                .timeout(Duration.ofSeconds(30))
                .doOnError(e -> log.warn("Could not make sure bucket {} exists: {}", properties.bucket(), e.toString()))
                .onErrorComplete()
                .subscribe();
    }
}
