-- An expired file (never uploaded, or a refused direct upload) no longer holds its key: the same
-- path may be registered again. Live files (pending or uploaded) still own their key.
ALTER TABLE files DROP CONSTRAINT files_bucket_object_key_key;
CREATE UNIQUE INDEX files_live_key ON files (bucket, object_key) WHERE status <> 'expired';
