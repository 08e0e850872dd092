package eu.erpdetachement.files.store;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

import org.springframework.r2dbc.core.DatabaseClient;
import org.springframework.stereotype.Repository;

import eu.erpdetachement.files.domain.FileStatus;
import eu.erpdetachement.files.domain.StoredFile;
import io.r2dbc.spi.Readable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** SQL for files and their links; every statement is scoped by tenant. */
@Repository
public class FileStore {

    private static final String COLUMNS = "file_id, tenant_id, storage_provider, bucket, object_key, filename, mime_type, "
            + "size_bytes, sha256_hash, status, uploaded_by, created_at, uploaded_at";

    private final DatabaseClient db;

    public FileStore(DatabaseClient db) {
        this.db = db;
    }

    /** Inserts unless a live file holds the key; answers whether it inserted. */
    public Mono<Boolean> insert(StoredFile f) {
        var spec = db.sql("""
                INSERT INTO files (file_id, tenant_id, storage_provider, bucket, object_key, filename, mime_type, size_bytes,
                    sha256_hash, status, uploaded_by, created_at, uploaded_at)
                VALUES (:id, :tenant, :provider, :bucket, :key, :filename, :mime, :size, :hash, :status, :by, :created, :uploaded)
                ON CONFLICT (bucket, object_key) WHERE status <> 'expired' DO NOTHING""")
                .bind("id", f.fileId()).bind("tenant", f.tenantId()).bind("provider", f.storageProvider())
                .bind("bucket", f.bucket()).bind("key", f.objectKey()).bind("filename", f.filename())
                .bind("mime", f.mimeType()).bind("size", f.sizeBytes()).bind("hash", f.sha256Hash())
                .bind("status", f.status().wireName()).bind("by", f.uploadedBy()).bind("created", utc(f.createdAt()));
        spec = f.uploadedAt() == null ? spec.bindNull("uploaded", OffsetDateTime.class) : spec.bind("uploaded", utc(f.uploadedAt()));
        return spec.fetch().rowsUpdated().map(n -> n == 1);
    }

    public Mono<StoredFile> find(UUID tenantId, UUID fileId) {
        return db.sql("SELECT " + COLUMNS + " FROM files WHERE tenant_id = :tenant AND file_id = :id")
                .bind("tenant", tenantId).bind("id", fileId).map(FileStore::read).one();
    }

    /**
     * Bounds the current transaction, which holds a file's row lock while it calls the object store:
     * waiting for another transaction's lock, and sitting idle between statements, each give up after
     * {@code timeout}. Call first in the transaction.
     */
    public Mono<Void> boundTransaction(java.time.Duration timeout) {
        String millis = Long.toString(timeout.toMillis());
        return db.sql("SELECT set_config('lock_timeout', :ms, true) AS a, set_config('idle_in_transaction_session_timeout', :ms, true) AS b")
                .bind("ms", millis).map(row -> 1).first().then();
    }

    /** Whether a transaction gave up waiting for a lock, was ended for sitting idle, or was cancelled. */
    public static boolean timedOut(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause()) {
            if (e instanceof io.r2dbc.spi.R2dbcException r2dbc
                    && ("55P03".equals(r2dbc.getSqlState()) || "25P03".equals(r2dbc.getSqlState()) || "57014".equals(r2dbc.getSqlState()))) {
                return true;
            }
        }
        return false;
    }

    /** Locks the row for the rest of the transaction: completing an upload happens once. */
    public Mono<StoredFile> findForUpdate(UUID tenantId, UUID fileId) {
        return db.sql("SELECT " + COLUMNS + " FROM files WHERE tenant_id = :tenant AND file_id = :id FOR UPDATE")
                .bind("tenant", tenantId).bind("id", fileId).map(FileStore::read).one();
    }

    public Mono<Void> markUploaded(UUID tenantId, UUID fileId, Instant at) {
        return db.sql("UPDATE files SET status = 'uploaded', uploaded_at = :at WHERE tenant_id = :tenant AND file_id = :id")
                .bind("at", utc(at)).bind("tenant", tenantId).bind("id", fileId).then();
    }

    /** A direct upload's measured size and hash, and its verified status; false when it is no longer pending. */
    public Mono<Boolean> recordUpload(StoredFile f) {
        return db.sql("""
                UPDATE files SET size_bytes = :size, sha256_hash = :hash, status = 'uploaded', uploaded_at = :at
                WHERE tenant_id = :tenant AND file_id = :id AND status = 'pending_upload'""")
                .bind("size", f.sizeBytes()).bind("hash", f.sha256Hash()).bind("at", utc(f.uploadedAt()))
                .bind("tenant", f.tenantId()).bind("id", f.fileId()).fetch().rowsUpdated().map(n -> n == 1);
    }

    /**
     * Expires up to {@code limit} pending files created before {@code cutoff} in one statement (its
     * own transaction) and answers them. Rows another transaction holds (a completion under way)
     * are skipped, so the sweep never waits on a client.
     */
    public Flux<StoredFile> expirePendingOlderThan(Instant cutoff, int limit) {
        return db.sql("""
                UPDATE files SET status = 'expired' WHERE file_id IN (
                    SELECT file_id FROM files WHERE status = 'pending_upload' AND created_at < :cutoff
                    ORDER BY created_at LIMIT :limit FOR UPDATE SKIP LOCKED)
                AND status = 'pending_upload'
                RETURNING\s""" + COLUMNS)
                .bind("cutoff", utc(cutoff)).bind("limit", limit).map(FileStore::read).all();
    }

    public Mono<Void> markExpired(UUID fileId) {
        return db.sql("UPDATE files SET status = 'expired' WHERE file_id = :id AND status = 'pending_upload'")
                .bind("id", fileId).then();
    }

    public record Link(UUID fileLinkId, UUID fileId, String entityType, UUID entityId, String purpose) {
    }

    /** Inserts the link unless the same (file, entity, purpose) exists; answers the link that stands. */
    public Mono<LinkOutcome> link(UUID tenantId, UUID fileId, String entityType, UUID entityId, String purpose, UUID by) {
        UUID id = UUID.randomUUID();
        return db.sql("""
                INSERT INTO file_links (file_link_id, tenant_id, file_id, entity_type, entity_id, purpose, linked_by)
                VALUES (:id, :tenant, :file, :type, :entity, :purpose, :by)
                ON CONFLICT (tenant_id, file_id, entity_type, entity_id, purpose) DO NOTHING""")
                .bind("id", id).bind("tenant", tenantId).bind("file", fileId).bind("type", entityType)
                .bind("entity", entityId).bind("purpose", purpose).bind("by", by)
                .fetch().rowsUpdated()
                .flatMap(inserted -> inserted == 1
                        ? Mono.just(new LinkOutcome(new Link(id, fileId, entityType, entityId, purpose), true))
                        : db.sql("""
                                SELECT file_link_id FROM file_links WHERE tenant_id = :tenant AND file_id = :file
                                AND entity_type = :type AND entity_id = :entity AND purpose = :purpose""")
                                .bind("tenant", tenantId).bind("file", fileId).bind("type", entityType)
                                .bind("entity", entityId).bind("purpose", purpose)
                                .map(row -> new LinkOutcome(new Link(row.get("file_link_id", UUID.class), fileId,
                                        entityType, entityId, purpose), false))
                                .one());
    }

    public record LinkOutcome(Link link, boolean created) {
    }

    /**
     * Files linked to an entity, by file id (keyset). With {@code uploadedBy}, only that caller's
     * files: the filter is in the query, before the limit, so a page is never cut short by others' files.
     */
    public Flux<StoredFile> linkedTo(UUID tenantId, String entityType, UUID entityId, UUID uploadedBy, UUID afterFileId,
            int limit) {
        String sql = "SELECT DISTINCT f." + COLUMNS.replace(", ", ", f.") + " FROM files f JOIN file_links l ON l.file_id = f.file_id "
                + "WHERE l.tenant_id = :tenant AND l.entity_type = :type AND l.entity_id = :entity AND f.tenant_id = :tenant"
                + (uploadedBy != null ? " AND f.uploaded_by = :by" : "")
                + (afterFileId != null ? " AND f.file_id > :after" : "") + " ORDER BY f.file_id LIMIT :limit";
        var spec = db.sql(sql).bind("tenant", tenantId).bind("type", entityType).bind("entity", entityId).bind("limit", limit);
        if (uploadedBy != null) {
            spec = spec.bind("by", uploadedBy);
        }
        if (afterFileId != null) {
            spec = spec.bind("after", afterFileId);
        }
        return spec.map(FileStore::read).all();
    }

    /** A file about a person, with the purposes of its links to their worker id (none when they only uploaded it). */
    public record PersonFile(StoredFile file, java.util.Set<String> purposes) {
    }

    /** Every file the user uploaded or that is linked to their worker id (null: none), in file id order. */
    public Flux<PersonFile> ofPerson(UUID tenantId, UUID userId, UUID workerId) {
        return db.sql("SELECT f." + COLUMNS.replace(", ", ", f.") + """
                , array_remove(array_agg(l.purpose), NULL) AS purposes
                FROM files f LEFT JOIN file_links l ON l.file_id = f.file_id AND l.tenant_id = f.tenant_id
                    AND l.entity_type = 'worker' AND l.entity_id = :worker
                WHERE f.tenant_id = :tenant AND (f.uploaded_by = :user OR l.file_link_id IS NOT NULL)
                GROUP BY f.file_id ORDER BY f.file_id""")
                .bind("tenant", tenantId).bind("user", userId).bind("worker", workerId == null ? new UUID(0, 0) : workerId)
                .map(row -> new PersonFile(read(row), java.util.Set.of(row.get("purposes", String[].class))))
                .all();
    }

    /** Every link of these files, by file and link creation. */
    public Flux<StoredLink> linksOf(UUID tenantId, java.util.Collection<UUID> fileIds) {
        return db.sql("""
                SELECT file_link_id, file_id, entity_type, entity_id, purpose, linked_by, created_at FROM file_links
                WHERE tenant_id = :tenant AND file_id = ANY(:files) ORDER BY file_id, created_at, file_link_id""")
                .bind("tenant", tenantId).bind("files", fileIds.toArray(UUID[]::new))
                .map(row -> new StoredLink(row.get("file_link_id", UUID.class), row.get("file_id", UUID.class),
                        row.get("entity_type", String.class), row.get("entity_id", UUID.class), row.get("purpose", String.class),
                        row.get("linked_by", UUID.class), row.get("created_at", OffsetDateTime.class).toInstant()))
                .all();
    }

    public record StoredLink(UUID fileLinkId, UUID fileId, String entityType, UUID entityId, String purpose, UUID linkedBy,
            Instant createdAt) {
    }

    /** Erasure: the file's name and key no longer name anybody. */
    public Mono<Void> rename(UUID tenantId, UUID fileId, String filename, String objectKey) {
        return db.sql("UPDATE files SET filename = :filename, object_key = :key WHERE tenant_id = :tenant AND file_id = :id")
                .bind("filename", filename).bind("key", objectKey).bind("tenant", tenantId).bind("id", fileId).then();
    }

    /** Deletes the file's links and row in one statement. */
    public Mono<Void> deleteWithLinks(UUID tenantId, UUID fileId) {
        return db.sql("""
                WITH links AS (DELETE FROM file_links WHERE tenant_id = :tenant AND file_id = :id)
                DELETE FROM files WHERE tenant_id = :tenant AND file_id = :id""")
                .bind("tenant", tenantId).bind("id", fileId).then();
    }

    /**
     * Retention: deletes at most {@code limit} files linked to the tenant's erased workers and created
     * before {@code cutoff}, with all their links, in one statement; answers the deleted files.
     */
    public Flux<StoredFile> deleteRetainedOlderThan(UUID tenantId, Instant cutoff, int limit) {
        return db.sql("""
                WITH due AS (
                    SELECT DISTINCT f.file_id FROM files f
                    JOIN file_links l ON l.file_id = f.file_id AND l.tenant_id = f.tenant_id AND l.entity_type = 'worker'
                    JOIN erased_users u ON u.tenant_id = l.tenant_id AND u.worker_id = l.entity_id
                    WHERE f.tenant_id = :tenant AND f.created_at < :cutoff
                    LIMIT :limit),
                links AS (DELETE FROM file_links l USING due WHERE l.file_id = due.file_id)
                DELETE FROM files f USING due WHERE f.file_id = due.file_id RETURNING f.*""")
                .bind("tenant", tenantId).bind("cutoff", utc(cutoff)).bind("limit", limit)
                .map(FileStore::read).all();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static StoredFile read(Readable row) {
        OffsetDateTime uploaded = row.get("uploaded_at", OffsetDateTime.class);
        return new StoredFile(row.get("file_id", UUID.class), row.get("tenant_id", UUID.class),
                row.get("storage_provider", String.class), row.get("bucket", String.class),
                row.get("object_key", String.class), row.get("filename", String.class), row.get("mime_type", String.class),
                row.get("size_bytes", Long.class), row.get("sha256_hash", String.class).trim(),
                FileStatus.fromWire(row.get("status", String.class)), row.get("uploaded_by", UUID.class),
                row.get("created_at", OffsetDateTime.class).toInstant(), uploaded == null ? null : uploaded.toInstant());
    }
}
