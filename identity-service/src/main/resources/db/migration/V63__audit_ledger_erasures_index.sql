-- The ledger asks, for every record it appends, whether a subject the record names was erased.
-- Without an index that was a scan of the tenant's whole ledger per record: the consumer's cost
-- grew with the ledger (docs/performance.md). Erasures are few; this index holds only them.
CREATE INDEX audit_ledger_erasures ON audit_ledger (tenant_id, target_type, target_id)
    WHERE action IN ('user.erased', 'file.erased');
