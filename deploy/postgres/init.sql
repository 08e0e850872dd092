-- One database, one schema per service, each owned by the service's own role.
-- Run once by the devstack and by docker-compose (deploy/postgres/init.sh) against a fresh cluster
-- (as a superuser).
-- Passwords are psql variables: compose's init.sh sets them from the environment (IDENTITY_DB_PASSWORD,
-- ...); the devstack and the tests substitute the local defaults (each role's name).
CREATE ROLE identity_svc LOGIN PASSWORD :'IDENTITY_DB_PASSWORD';
CREATE ROLE files_svc    LOGIN PASSWORD :'FILES_DB_PASSWORD';
CREATE ROLE checkin_svc  LOGIN PASSWORD :'CHECKIN_DB_PASSWORD';
-- The gateway keeps only the shared buckets of its abuse limits (decision 0016).
CREATE ROLE gateway_svc  LOGIN PASSWORD :'GATEWAY_DB_PASSWORD';
-- The relay reads the WAL and publishes the outbox tables; membership lets it own the publication.
CREATE ROLE relay_svc    LOGIN REPLICATION PASSWORD :'RELAY_DB_PASSWORD' IN ROLE identity_svc, files_svc, checkin_svc;

CREATE DATABASE erp;
\connect erp
CREATE SCHEMA identity AUTHORIZATION identity_svc;
CREATE SCHEMA files    AUTHORIZATION files_svc;
CREATE SCHEMA checkin  AUTHORIZATION checkin_svc;
CREATE SCHEMA relay    AUTHORIZATION relay_svc;
CREATE SCHEMA gateway  AUTHORIZATION gateway_svc;
GRANT CREATE ON DATABASE erp TO relay_svc;

-- The relay's publication and slot exist before any service can write (decision 0018): each
-- service adds its own outbox table to the publication when it migrates (platform's Flyway
-- callback), so no row is ever written to an unpublished outbox, and the slot keeps every change
-- from the first write on, whenever the relay first starts. Members of outbox_publisher (every
-- service role and the relay) may add their own tables to it.
CREATE ROLE outbox_publisher NOLOGIN;
GRANT outbox_publisher TO identity_svc, files_svc, checkin_svc, relay_svc;
GRANT CREATE ON DATABASE erp TO outbox_publisher;
-- Inserts only: the relay publishes inserts and deletes what it published, and those deletes need
-- not be decoded and streamed back to it (decision 0037).
CREATE PUBLICATION erp_outbox WITH (publish = 'insert');
ALTER PUBLICATION erp_outbox OWNER TO outbox_publisher;
SELECT pg_create_logical_replication_slot('erp_outbox', 'pgoutput');
