-- The contract allows 1,024 characters for a filename; the column held 255 and names were cut to fit.
-- One truth: the contract's maxLength, validated by the service and stored whole (decision 0017).
ALTER TABLE files ALTER COLUMN filename TYPE varchar(1024);
