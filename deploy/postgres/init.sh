#!/bin/sh
# docker-compose's PostgreSQL init (docker-entrypoint-initdb.d; runs once, on an empty data
# directory): deploy/postgres/init.sql with each service role's password from the environment, then
# Keycloak's own database. Plain POSIX sh (the image runs it with bash; the tests with dash).
#   IDENTITY_DB_PASSWORD FILES_DB_PASSWORD CHECKIN_DB_PASSWORD GATEWAY_DB_PASSWORD RELAY_DB_PASSWORD
#   KEYCLOAK_DB_PASSWORD                  required, set by docker-compose.yml from the same variables
#   ERP_INIT_SQL                          the SQL file (default /opt/erp/init.sql, mounted by compose)
# psql connects as the entrypoint's superuser (POSTGRES_USER, over its local socket; PGHOST/PGPORT
# elsewhere). Passwords are passed as psql variables, quoted by psql (:'NAME'), never spliced as text.
set -e
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v IDENTITY_DB_PASSWORD="${IDENTITY_DB_PASSWORD:?IDENTITY_DB_PASSWORD is not set}" \
  -v FILES_DB_PASSWORD="${FILES_DB_PASSWORD:?FILES_DB_PASSWORD is not set}" \
  -v CHECKIN_DB_PASSWORD="${CHECKIN_DB_PASSWORD:?CHECKIN_DB_PASSWORD is not set}" \
  -v GATEWAY_DB_PASSWORD="${GATEWAY_DB_PASSWORD:?GATEWAY_DB_PASSWORD is not set}" \
  -v RELAY_DB_PASSWORD="${RELAY_DB_PASSWORD:?RELAY_DB_PASSWORD is not set}" \
  -f "${ERP_INIT_SQL:-/opt/erp/init.sql}"
psql -v ON_ERROR_STOP=1 --no-psqlrc --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v KEYCLOAK_DB_PASSWORD="${KEYCLOAK_DB_PASSWORD:?KEYCLOAK_DB_PASSWORD is not set}" <<'SQL'
-- Keycloak in production mode keeps its realms, users and sessions here (decision 0022).
CREATE ROLE keycloak LOGIN PASSWORD :'KEYCLOAK_DB_PASSWORD';
CREATE DATABASE keycloak OWNER keycloak;
SQL
