#!/usr/bin/env bash
# Two throwaway PostgreSQL clusters for the database-migration tests (__tests__/db-migration) and CI.
#
#   scripts/ci-postgres.sh start    # idempotent: starts (or reuses) both clusters, prints env lines
#   scripts/ci-postgres.sh env      # prints the env lines of the running clusters (exit 1 if not running)
#   scripts/ci-postgres.sh stop     # stops both clusters and removes their directory
#
# Or `source` it and call ci_postgres_start / ci_postgres_env / ci_postgres_stop.
#
# source: like the local docker-compose database (../shared/legacy/docker-compose.yml): 127.0.0.1,
#         port 5433 when free (else the next free one), password user mlflow_user owning mlflow_db,
#         no SSL.
# target: like RDS: SSL required (self-signed certificate; `hostnossl ... reject`), scram-sha-256,
#         a non-superuser mlflow_admin with CREATEDB owning the empty database mlflow.
# Both also accept the `postgres` superuser over their Unix socket (trust; the socket directory is
# private to the cluster), which the tests use to create per-test databases and to mutate targets.
#
# Installs postgresql from Debian (`apt-get install -y postgresql postgresql-client`) when no
# /usr/lib/postgresql/*/bin/initdb exists. As root, the servers run as the `postgres` OS user
# (PostgreSQL refuses to run as root). Directory: $MLFLOW_INFRA_PG_DIR (default
# ${TMPDIR:-/tmp}/mlflow-infra-pg). Passwords are random per start and printed in the env lines.
CI_PG_DIR="${MLFLOW_INFRA_PG_DIR:-${TMPDIR:-/tmp}/mlflow-infra-pg}"

ci_pg_log() { printf 'ci-postgres: %s\n' "$*" >&2; }

ci_pg_bindir() {  # the newest installed server's bin directory
  local found=(/usr/lib/postgresql/*/bin/initdb)
  [ -e "${found[0]}" ] || return 1
  dirname "$(printf '%s\n' "${found[@]}" | sort -V | tail -n 1)"
}

ci_pg_install() {
  if ci_pg_bindir >/dev/null; then return 0; fi
  if [ "$(id -u)" != 0 ]; then
    ci_pg_log "PostgreSQL server binaries are missing and installing them needs root: apt-get install -y postgresql postgresql-client"
    return 1
  fi
  ci_pg_log "installing postgresql from Debian packages"
  apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y postgresql postgresql-client >&2
  ci_pg_bindir >/dev/null || { ci_pg_log "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb exists"; return 1; }
}

# Runs a command as the cluster owner: the `postgres` OS user when we are root, else ourselves.
ci_pg_as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ci_pg_port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# First free TCP port on 127.0.0.1 from $1 upwards, skipping $2 (the other cluster's port).
ci_pg_free_port() {
  local port="$1" skip="${2:-}"
  while [ "$port" = "$skip" ] || ci_pg_port_in_use "$port"; do port=$((port + 1)); done
  printf '%s\n' "$port"
}

# Accepting connections (not only a live-looking pid file: a killed postmaster can linger as a zombie).
ci_pg_running() {
  local bindir="$1" name="$2"
  [ -f "$CI_PG_DIR/$name/data/postmaster.pid" ] &&
    "$bindir/pg_isready" -q -h "$CI_PG_DIR/$name/socket" -p "$(ci_pg_port "$name")" -t 3
}

# ci_pg_init NAME PORT: initdb + config for one cluster (server not started).
ci_pg_init() {
  local bindir="$1" name="$2" port="$3" dir="$CI_PG_DIR/$2"
  rm -rf "$dir"
  mkdir -p "$dir/socket"
  chmod 700 "$dir" "$dir/socket"
  if [ "$(id -u)" = 0 ]; then chown -R postgres: "$dir"; fi
  ci_pg_as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  # Only the superuser over the private socket; each cluster appends its TCP rules.
  printf 'local all postgres trust\n' | ci_pg_as_owner tee "$dir/data/pg_hba.conf" >/dev/null
  ci_pg_as_owner tee -a "$dir/data/postgresql.conf" >/dev/null <<EOF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir/socket'
password_encryption = 'scram-sha-256'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 40
shared_buffers = 32MB
EOF
}

ci_pg_start_cluster() {
  local bindir="$1" name="$2" dir="$CI_PG_DIR/$2"
  ci_pg_as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 start >/dev/null \
    || { ci_pg_log "$name cluster did not start:"; cat "$dir/server.log" >&2; return 1; }
}

ci_pg_port() { sed -n "s/^port = //p" "$CI_PG_DIR/$1/data/postgresql.conf" | tail -n 1; }

ci_pg_psql() {  # ci_pg_psql NAME SQL  (as superuser over the socket)
  psql -X -q -v ON_ERROR_STOP=1 -h "$CI_PG_DIR/$1/socket" -p "$(ci_pg_port "$1")" -U postgres -d postgres -c "$2" >/dev/null
}

# ci_pg_add_login NAME ROLE DB: a password login (random password) owning an empty database;
# appends the cluster's env lines to env.tmp.
ci_pg_add_login() {
  local name="$1" role="$2" db="$3" password prefix
  password="$(openssl rand -hex 16)"
  prefix="MLFLOW_INFRA_PG_$(printf '%s' "$name" | tr '[:lower:]' '[:upper:]')"
  ci_pg_psql "$name" "CREATE ROLE $role LOGIN CREATEDB PASSWORD '$password'"
  ci_pg_psql "$name" "CREATE DATABASE $db OWNER $role"
  printf '%s\n' "${prefix}_HOST=127.0.0.1" "${prefix}_PORT=$(ci_pg_port "$name")" "${prefix}_USER=$role" \
    "${prefix}_PASSWORD=$password" "${prefix}_DB=$db" "${prefix}_SOCKET_DIR=$CI_PG_DIR/$name/socket" >>"$CI_PG_DIR/env.tmp"
}

ci_postgres_env() {
  [ -f "$CI_PG_DIR/env" ] || { ci_pg_log "no clusters in $CI_PG_DIR (run: scripts/ci-postgres.sh start)"; return 1; }
  cat "$CI_PG_DIR/env"
}

ci_postgres_start() (
  set -euo pipefail
  ci_pg_install
  local bindir
  bindir="$(ci_pg_bindir)"
  mkdir -p "$CI_PG_DIR"
  chmod 755 "$CI_PG_DIR"
  exec 9>"$CI_PG_DIR/.lock"
  flock 9
  if [ -f "$CI_PG_DIR/env" ] && ci_pg_running "$bindir" source && ci_pg_running "$bindir" target; then
    ci_pg_log "reusing the running clusters in $CI_PG_DIR"
    ci_postgres_env
    flock -u 9
    return 0
  fi
  ci_pg_stop_clusters "$bindir"
  rm -f "$CI_PG_DIR/env"

  local source_port target_port
  source_port="$(ci_pg_free_port 5433)"
  target_port="$(ci_pg_free_port 15432 "$source_port")"
  : >"$CI_PG_DIR/env.tmp"

  ci_pg_log "starting source cluster on 127.0.0.1:$source_port (no SSL)"
  ci_pg_init "$bindir" source "$source_port"
  ci_pg_as_owner tee -a "$CI_PG_DIR/source/data/pg_hba.conf" >/dev/null <<EOF
host all all 127.0.0.1/32 scram-sha-256
EOF
  ci_pg_start_cluster "$bindir" source
  ci_pg_add_login source mlflow_user mlflow_db

  ci_pg_log "starting target cluster on 127.0.0.1:$target_port (SSL required)"
  ci_pg_init "$bindir" target "$target_port"
  local data="$CI_PG_DIR/target/data"
  openssl req -new -x509 -nodes -days 2 -newkey rsa:2048 -subj "/CN=127.0.0.1" \
    -keyout "$CI_PG_DIR/target/server.key" -out "$CI_PG_DIR/target/server.crt" >/dev/null 2>&1
  install -m 600 "$CI_PG_DIR/target/server.key" "$data/server.key"
  install -m 644 "$CI_PG_DIR/target/server.crt" "$data/server.crt"
  rm -f "$CI_PG_DIR/target/server.key"
  if [ "$(id -u)" = 0 ]; then chown postgres: "$data/server.key" "$data/server.crt"; fi
  ci_pg_as_owner tee -a "$data/postgresql.conf" >/dev/null <<EOF
ssl = on
ssl_cert_file = 'server.crt'
ssl_key_file = 'server.key'
EOF
  ci_pg_as_owner tee -a "$data/pg_hba.conf" >/dev/null <<EOF
hostssl all all 127.0.0.1/32 scram-sha-256
hostnossl all all 0.0.0.0/0 reject
EOF
  ci_pg_start_cluster "$bindir" target
  ci_pg_add_login target mlflow_admin mlflow
  printf '%s\n' "MLFLOW_INFRA_PG_TARGET_CA=$CI_PG_DIR/target/server.crt" >>"$CI_PG_DIR/env.tmp"
  chmod 644 "$CI_PG_DIR/env.tmp"
  mv "$CI_PG_DIR/env.tmp" "$CI_PG_DIR/env"
  ci_postgres_env
  flock -u 9
)

ci_pg_stop_clusters() {
  local bindir="$1" name
  for name in source target; do
    if [ -f "$CI_PG_DIR/$name/data/postmaster.pid" ]; then
      ci_pg_as_owner "$bindir/pg_ctl" -D "$CI_PG_DIR/$name/data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
    fi
  done
}

ci_postgres_stop() (
  set -euo pipefail
  local bindir
  bindir="$(ci_pg_bindir || true)"
  [ -d "$CI_PG_DIR" ] || return 0
  if [ -n "$bindir" ]; then ci_pg_stop_clusters "$bindir"; fi
  rm -rf "$CI_PG_DIR"
  ci_pg_log "stopped and removed $CI_PG_DIR"
)

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case "${1:-}" in
    start) ci_postgres_start ;;
    env) ci_postgres_env ;;
    stop) ci_postgres_stop ;;
    *) printf 'usage: %s start|env|stop\n' "$0" >&2; exit 64 ;;
  esac
fi
