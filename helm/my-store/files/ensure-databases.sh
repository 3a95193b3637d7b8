#!/bin/sh
# Creates (idempotently) one PostgreSQL user and one database per service, each database owned by
# its user and closed to every other user. Passwords are read from the generated <release>-db Secret,
# mounted at $PASSWORDS_DIR (default /etc/my-store/db), one file per service.
#
# Runs twice, on purpose: from PostgreSQL's /docker-entrypoint-initdb.d on first start, and before
# every migration (the migrations Job), so that a service added later gets its database too.
#   SERVICES="auth catalog ..." ensure-databases.sh
set -eu
: "${SERVICES:?SERVICES lists the services}"
passwords=${PASSWORDS_DIR:-/etc/my-store/db}
for service in $SERVICES; do
    password=$(cat "$passwords/$service")
    psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --dbname postgres \
        --set service="$service" --set password="$password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'service')
 WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'service') \gexec
SELECT format('ALTER ROLE %I WITH LOGIN PASSWORD %L', :'service', :'password') \gexec
SELECT format('CREATE DATABASE %I OWNER %I', :'service', :'service')
 WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'service') \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', :'service') \gexec
SQL
    echo "database $service ready" >&2
done
