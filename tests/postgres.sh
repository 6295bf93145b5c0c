# Starts a throwaway PostgreSQL server for the tests; sourced by tests/run.sh and deploy scripts.
# After `pg_start`, PG_PORT and PG_CONNECTION are set; `pg_stop` stops it and removes its files.
# Installs Debian's postgresql when the server binaries are missing. initdb refuses to run as root,
# so as root the server runs as the `postgres` user.

pg_find_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return 0; }
  done
  command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
  return 1
}

pg_install() {
  echo "==> PostgreSQL server binaries not found; installing Debian's postgresql"
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: installing postgresql needs root. Run: sudo apt-get install -y postgresql" >&2
    return 1
  fi
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

pg_free_port() {
  local port
  for _ in $(seq 1 50); do
    port=$(( (RANDOM % 20000) + 30000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

pg_as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_start() {
  PG_BIN=$(pg_find_bin) || { pg_install && PG_BIN=$(pg_find_bin); } || return 1
  PG_DIR=$(mktemp -d /tmp/taskee-pg.XXXXXX)
  [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$PG_DIR"
  PG_PORT=$(pg_free_port)
  echo "==> Starting PostgreSQL ($PG_BIN) on 127.0.0.1:$PG_PORT, data in $PG_DIR"
  pg_as_owner "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --no-locale >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off" start >/dev/null \
    || { cat "$PG_DIR/server.log" >&2; return 1; }
  PG_CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres;Maximum Pool Size=50"
  export PG_BIN PG_DIR PG_PORT PG_CONNECTION
}

# Restarts the server in place (same port and data), as an operator or a crash-restart would.
pg_restart() {
  pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -m fast -w -t 60 \
    -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off" restart >/dev/null
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  [ -d "$PG_DIR/data" ] && pg_as_owner "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate stop >/dev/null 2>&1
  rm -rf "$PG_DIR"
  PG_DIR=""
}
