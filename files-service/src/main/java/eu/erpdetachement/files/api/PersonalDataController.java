package eu.erpdetachement.files.api;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.FileStore.PersonFile;
import eu.erpdetachement.files.store.FileStore.StoredLink;
import eu.erpdetachement.platform.personaldata.PersonalDataRoutes;
import eu.erpdetachement.platform.rbac.RbacMatrix;
import eu.erpdetachement.platform.security.Caller;
import reactor.core.publisher.Mono;

/**
 * This service's part of a personal-data export (platform PersonalDataRoutes): the files the person
 * uploaded or that are linked to their worker id, each with all its links (PersonalDataFile in
 * contracts/openapi.yaml).
 */
@RestController
public class PersonalDataController {

    public record FilesPersonalData(List<PersonalDataFile> files) {
    }

    public record PersonalDataFile(UUID fileId, String filename, String objectKey, String mimeType, long sizeBytes,
            String sha256Hash, String status, UUID uploadedBy, Instant createdAt, Instant uploadedAt, List<Link> links) {

        static PersonalDataFile of(StoredFile f, List<Link> links) {
            return new PersonalDataFile(f.fileId(), f.filename(), f.objectKey(), f.mimeType(), f.sizeBytes(), f.sha256Hash(),
                    f.status().wireName(), f.uploadedBy(), f.createdAt(), f.uploadedAt(), links);
        }
    }

    public record Link(UUID fileLinkId, String entityType, UUID entityId, String purpose, UUID linkedBy, Instant createdAt) {

        static Link of(StoredLink l) {
            return new Link(l.fileLinkId(), l.entityType(), l.entityId(), l.purpose(), l.linkedBy(), l.createdAt());
        }
    }

    private final FileStore files;
    private final RbacMatrix matrix;

    public PersonalDataController(FileStore files, RbacMatrix matrix) {
        this.files = files;
        this.matrix = matrix;
    }

    @GetMapping(PersonalDataRoutes.INTERNAL_PATH)
    public Mono<FilesPersonalData> export(@PathVariable("user_id") UUID userId,
            @RequestParam(name = "worker_id", required = false) UUID workerId, Caller caller) {
        PersonalDataRoutes.requireAccess(matrix, caller, userId, workerId);
        return files.ofPerson(caller.tenantId(), userId, workerId).map(PersonFile::file).collectList()
                .flatMap(found -> files.linksOf(caller.tenantId(), found.stream().map(StoredFile::fileId).toList())
                        .collect(Collectors.groupingBy(StoredLink::fileId))
                        .map(links -> new FilesPersonalData(found.stream()
                                .map(f -> PersonalDataFile.of(f, linksOf(links, f))).toList())));
    }

    private static List<Link> linksOf(Map<UUID, List<StoredLink>> links, StoredFile file) {
        return links.getOrDefault(file.fileId(), List.of()).stream().map(Link::of).toList();
    }
}
