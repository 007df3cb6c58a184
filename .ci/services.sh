# Sourced by .ci/run and benchmarks/run: install uv, PostgreSQL, Redis, nginx and Caddy when missing,
# start PostgreSQL and Redis on loopback (private data dirs, non-default ports), export their
# URLs for the tests, and stop both when the calling script exits.

export UV_PYTHON_DOWNLOADS=never   # uv cannot download Python builds here; use the system's
# Trust the machine's certificate store (the registries may sit behind a proxy with its own CA).
if [ -z "${SSL_CERT_FILE:-}" ] && [ -f /etc/ssl/certs/ca-certificates.crt ]; then
  export SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt
fi
export UV_SYSTEM_CERTS=1

log() { printf '\n== %s\n' "$*"; }

if ! command -v uv >/dev/null 2>&1; then
  log "installing uv"
  python3 -m pip install --quiet --disable-pip-version-check uv
fi
uv --version

if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || ! command -v redis-server >/dev/null \
   || ! command -v nginx >/dev/null || ! command -v psql >/dev/null || ! command -v wrk >/dev/null \
   || ! command -v caddy >/dev/null; then
  log "installing PostgreSQL, Redis, nginx (the Hybrid's proxy, run natively), Caddy (the TLS edge) and wrk"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql redis-server nginx-light caddy wrk \
    >/dev/null
fi
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# Ports: the given ones, else the usual ones when free, else any free one (two runs on one
# machine must not share, or stop, each other's services).
free_port() {
  python3 -c 'import socket,sys; s=socket.socket(); p=int(sys.argv[1])
try: s.bind(("127.0.0.1", p))
except OSError: s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])' "$1"
}
PG_PORT=${PG_PORT:-$(free_port 54329)}
REDIS_PORT=${REDIS_PORT:-$(free_port 63799)}
SERVICES=$(mktemp -d /tmp/scaffold-services.XXXXXX)
chmod 755 "$SERVICES"
mkdir -p "$SERVICES/pg" "$SERVICES/redis"
chown postgres:postgres "$SERVICES/pg"

stop_services() {
  log "stopping PostgreSQL and Redis"
  runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES/pg/data" -m fast stop >/dev/null 2>&1 || true
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
  rm -rf "$SERVICES"
}
trap stop_services EXIT

log "starting PostgreSQL on 127.0.0.1:$PG_PORT"
runuser -u postgres -- "$PG_BIN/initdb" -D "$SERVICES/pg/data" -U postgres --auth=trust \
  --encoding=UTF8 --no-instructions >/dev/null
runuser -u postgres -- "$PG_BIN/pg_ctl" -D "$SERVICES/pg/data" -l "$SERVICES/pg/log" -w \
  -o "-p $PG_PORT -k $SERVICES/pg -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" \
  start >/dev/null
psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc \
  "CREATE ROLE scaffold LOGIN SUPERUSER PASSWORD 'scaffold'" >/dev/null

log "starting Redis on 127.0.0.1:$REDIS_PORT"
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --dir "$SERVICES/redis" --save '' \
  --appendonly no --daemonize yes --logfile "$SERVICES/redis/log"
for _ in $(seq 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done

# The tests and benchmarks find the services through these (each creates its own database).
export SCAFFOLD_TEST_POSTGRES_URL="postgres://scaffold:scaffold@127.0.0.1:$PG_PORT/postgres"
export SCAFFOLD_TEST_REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
