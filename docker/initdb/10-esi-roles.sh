#!/bin/sh
# First start of the database volume only (docker-entrypoint-initdb.d): the two roles of the service.
# esi_owner owns the database and its schema and runs the migrations; esi_app is the serving role
# (LOGIN, nothing else; the migrations grant it what it needs). Their passwords are read from the
# same secret files the app reads its URLs from, so each password is written down once.
set -eu
password_of() {
  # postgresql://user:PASSWORD@host:port/db -> PASSWORD (use hex passwords: no URL escaping needed)
  sed -E 's#^[a-z]+://[^:]+:([^@]*)@.*$#\1#' "$1" | tr -d '\n'
}
owner_pw=$(password_of /run/secrets/database_owner_url)
serving_pw=$(password_of /run/secrets/database_url)
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v owner_pw="$owner_pw" -v serving_pw="$serving_pw" <<'SQL'
CREATE ROLE esi_owner LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB PASSWORD :'owner_pw';
CREATE ROLE esi_app LOGIN NOSUPERUSER NOCREATEROLE NOCREATEDB NOINHERIT PASSWORD :'serving_pw';
ALTER DATABASE esi OWNER TO esi_owner;
ALTER SCHEMA public OWNER TO esi_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
