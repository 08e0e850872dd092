package eu.erpdetachement.files.api;

import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.codec.multipart.PartEvent;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import eu.erpdetachement.files.api.FileDtos.FileLinkRequest;
import eu.erpdetachement.files.api.FileDtos.FileLinkResponse;
import eu.erpdetachement.files.api.FileDtos.FileList;
import eu.erpdetachement.files.api.FileDtos.FileResponse;
import eu.erpdetachement.files.api.FileDtos.FileUploadRequest;
import eu.erpdetachement.files.api.FileDtos.FileUploadResponse;
import eu.erpdetachement.files.api.FileDtos.Upload;
import eu.erpdetachement.files.app.CompletingUpload;
import eu.erpdetachement.files.app.LinkingFile;
import eu.erpdetachement.files.app.RegisteringFile;
import eu.erpdetachement.files.app.UploadingDirectly;
import eu.erpdetachement.files.config.FilesProperties;
import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.LinkTargets;
import eu.erpdetachement.files.domain.ObjectKeys;
import eu.erpdetachement.files.domain.StoredFile;
import eu.erpdetachement.files.store.FileStore;
import eu.erpdetachement.files.store.ObjectStore;
import eu.erpdetachement.platform.idempotency.Idempotency;
import eu.erpdetachement.platform.idempotency.StoredResponse;
import eu.erpdetachement.platform.paging.KeysetCursor;
import eu.erpdetachement.platform.paging.PageLimit;
import eu.erpdetachement.platform.problem.ProblemException;
import eu.erpdetachement.platform.rbac.RouteAccess;
import eu.erpdetachement.platform.security.Caller;
import jakarta.validation.Valid;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.json.JsonMapper;

/** The /v1/files routes. */
@RestController
public class FileController {

    private static final int MAX_METADATA_BYTES = 16 * 1024;
    /** Each part's headers at most 10 KiB (as Spring's parser), and the upload's two parts with room for a few more. */
    private static final MultipartParts MULTIPART = new MultipartParts(10 * 1024, 16);

    private final RegisteringFile registering;
    private final CompletingUpload completing;
    private final UploadingDirectly uploading;
    private final LinkingFile linking;
    private final FileStore files;
    private final ObjectStore objects;
    private final FilesProperties properties;
    private final JsonMapper json;

    public FileController(RegisteringFile registering, CompletingUpload completing, UploadingDirectly uploading,
            LinkingFile linking, FileStore files, ObjectStore objects, FilesProperties properties, JsonMapper json) {
        this.registering = registering;
        this.completing = completing;
        this.uploading = uploading;
        this.linking = linking;
        this.files = files;
        this.objects = objects;
        this.properties = properties;
        this.json = json;
    }

    @PostMapping(path = "/v1/files", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<String>> register(@RequestBody FileUploadRequest request,
            @RequestHeader(name = Idempotency.HEADER, required = false) String idempotencyKey, Caller caller) {
        return registering.register(caller, request, Optional.ofNullable(idempotencyKey), json.writeValueAsString(request),
                        file -> objects.presignPut(file.bucket(), ObjectKeys.uploadKey(file.tenantId(), file.fileId()),
                                        properties.uploadUrlTtl())
                                .map(url -> StoredResponse.created("/v1/files/" + file.fileId(), json.writeValueAsString(
                                        new FileUploadResponse(file.fileId(), file.tenantId(), file.createdAt(),
                                                file.status().wireName(), Upload.put(url, file.mimeType()))))))
                .map(StoredResponse::toResponseEntity);
    }

    /** Direct upload: a {@code metadata} part (FileUploadRequest as JSON) then a {@code file} part, streamed. */
    @PostMapping(path = "/v1/files", consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    public Mono<ResponseEntity<FileUploadResponse>> uploadDirectly(ServerHttpRequest request, Caller caller) {
        AtomicReference<FileUploadRequest> metadata = new AtomicReference<>();
        return Mono.fromCallable(() -> MultipartParts.boundary(request.getHeaders().getContentType()))
                .flatMapMany(boundary -> MULTIPART.parse(request.getBody(), boundary))
                .windowUntil(PartEvent::isLast)
                .concatMap(part -> part.switchOnFirst((first, events) -> {
                    String name = first.hasValue() ? first.get().name() : "";
                    if ("metadata".equals(name)) {
                        return DataBufferUtils.join(events.map(PartEvent::content), MAX_METADATA_BYTES)
                                .map(buffer -> {
                                    try {
                                        metadata.set(json.readValue(buffer.asInputStream(true), FileUploadRequest.class));
                                    } catch (RuntimeException e) {
                                        throw ProblemException.validation("metadata", "must be a FileUploadRequest as JSON");
                                    }
                                    return Optional.<StoredFile>empty();
                                });
                    }
                    if ("file".equals(name)) {
                        if (metadata.get() == null) {
                            return events.map(PartEvent::content).doOnNext(DataBufferUtils::release)
                                    .then(Mono.error(ProblemException.validation("metadata", "must come before the file part")));
                        }
                        return uploading.upload(caller, metadata.get(), events.map(PartEvent::content)).map(Optional::of);
                    }
                    return events.map(PartEvent::content).doOnNext(DataBufferUtils::release).then(Mono.just(Optional.<StoredFile>empty()));
                }))
                .filter(Optional::isPresent)
                .map(Optional::get)
                .next()
                .switchIfEmpty(Mono.error(() -> ProblemException.validation("file", "is required")))
                .map(file -> ResponseEntity.created(URI.create("/v1/files/" + file.fileId()))
                        .body(new FileUploadResponse(file.fileId(), file.tenantId(), file.createdAt(),
                                file.status().wireName(), null)));
    }

    @PostMapping("/v1/files/{file_id}:complete")
    public Mono<FileResponse> complete(@PathVariable("file_id") UUID fileId, Caller caller, RouteAccess access) {
        return completing.complete(caller, access, fileId).flatMap(this::withDownload);
    }

    @PostMapping(path = "/v1/files/{file_id}:link", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Mono<ResponseEntity<FileLinkResponse>> link(@PathVariable("file_id") UUID fileId,
            @Valid @RequestBody FileLinkRequest request, Caller caller, RouteAccess access) {
        return linking.link(caller, access, fileId, request.entityType(), request.entityId(), request.purpose())
                .map(outcome -> ResponseEntity.status(outcome.created() ? HttpStatus.CREATED : HttpStatus.OK)
                        .body(new FileLinkResponse(outcome.link().fileLinkId(), fileId)));
    }

    @GetMapping("/v1/files/{file_id}")
    public Mono<FileResponse> get(@PathVariable("file_id") UUID fileId, Caller caller, RouteAccess access) {
        return files.find(caller.tenantId(), fileId)
                .switchIfEmpty(Mono.error(() -> ProblemException.notFound("File")))
                .doOnNext(file -> access.requireOwnFileOrAllowed(caller, file.uploadedBy()))
                .flatMap(this::withDownload);
    }

    @GetMapping("/v1/files")
    public Mono<FileList> linkedTo(@RequestParam("entity_type") String entityType, @RequestParam("entity_id") UUID entityId,
            @RequestParam(name = "limit", required = false) Integer limit,
            @RequestParam(name = "cursor", required = false) String cursor, Caller caller, RouteAccess access) {
        if (!LinkTargets.ENTITY_TYPES.contains(entityType)) {
            throw ProblemException.validation("entity_type", "must be one of " + String.join(", ", LinkTargets.ENTITY_TYPES));
        }
        int pageSize = PageLimit.of(limit);
        UUID after = null;
        if (cursor != null) {
            try {
                after = UUID.fromString(KeysetCursor.decode(cursor, 1).get(0));
            } catch (IllegalArgumentException e) {
                throw ProblemException.validation("cursor", "is not a cursor this API returned");
            }
        }
        UUID onlyUploadedBy = access.isRestricted() ? caller.userId() : null;
        return files.linkedTo(caller.tenantId(), entityType, entityId, onlyUploadedBy, after, pageSize + 1)
                .collectList()
                .map(found -> {
                    boolean more = found.size() > pageSize;
                    List<StoredFile> page = more ? found.subList(0, pageSize) : found;
                    String next = more ? KeysetCursor.encode(page.get(page.size() - 1).fileId().toString()) : null;
                    return new FileList(page.stream().map(f -> FileResponse.of(f, null)).toList(), next);
                });
    }

    private Mono<FileResponse> withDownload(StoredFile file) {
        if (file.status() != FileStatus.UPLOADED) {
            return Mono.just(FileResponse.of(file, null));
        }
        return objects.presignGet(file.bucket(), file.objectKey(), properties.downloadUrlTtl(), file.filename(), file.mimeType())
                .map(url -> FileResponse.of(file, url));
    }
}
