-- This service's copy of each tenant's settings, fed by TenantSettingsUpdated (platform TenantSettingsView).
CREATE TABLE tenant_settings_view (
    tenant_id uuid PRIMARY KEY,
    settings  jsonb  NOT NULL,
    version   bigint NOT NULL
);
