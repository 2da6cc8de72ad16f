#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server from Debian's packages on port 55432 (as the postgres user, which
# Debian requires), creates the owner login `throughline` and the application login `throughline_app_login`
# (member of the row-level-security role), and prints the two URLs as shell exports.
set -euo pipefail
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PGDATA=${PGDATA_DIR:-/tmp/throughline-pg}
PORT=${PGPORT_TEST:-55432}
if [ ! -f "$PGDATA/PG_VERSION" ]; then
  rm -rf "$PGDATA"; mkdir -p "$PGDATA"; chown postgres:postgres "$PGDATA"
  su postgres -c "$PGBIN/initdb -D $PGDATA -A trust -U postgres --no-sync" >/dev/null
  cat >> "$PGDATA/postgresql.conf" <<CONF
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
shared_buffers = 512MB
unix_socket_directories = '/tmp'
CONF
fi
if ! su postgres -c "$PGBIN/pg_ctl -D $PGDATA status" >/dev/null 2>&1; then
  su postgres -c "$PGBIN/pg_ctl -D $PGDATA -o '-p $PORT -k /tmp' -l $PGDATA/server.log -w start" >/dev/null
fi
psql -h 127.0.0.1 -p "$PORT" -U postgres -v ON_ERROR_STOP=1 -q <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'throughline') THEN
    CREATE ROLE throughline LOGIN CREATEDB CREATEROLE PASSWORD 'throughline';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'throughline_app') THEN
    CREATE ROLE throughline_app NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'throughline_app_login') THEN
    CREATE ROLE throughline_app_login LOGIN PASSWORD 'throughline' IN ROLE throughline_app;
  END IF;
END \$\$;
GRANT throughline_app TO throughline;
-- Lets demo loads skip per-row foreign-key triggers inside their own COPY transactions (keys are checked after).
GRANT SET ON PARAMETER session_replication_role TO throughline;
SQL
psql -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='throughline'" | grep -q 1 ||
  psql -h 127.0.0.1 -p "$PORT" -U postgres -qc "CREATE DATABASE throughline OWNER throughline"
echo "export DATABASE_URL=postgres://throughline:throughline@127.0.0.1:$PORT/throughline"
echo "export DATABASE_APP_URL=postgres://throughline_app_login:throughline@127.0.0.1:$PORT/throughline"
