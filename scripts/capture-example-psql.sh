#!/usr/bin/env bash
# capture-example-psql.sh: record what real PostgreSQL prints for the embedded
# example project in migrations/.
#
# The script
#   1. starts a throwaway PostgreSQL server (initdb in a `mktemp -d` directory,
#      owned by "postgres" when run as root; 127.0.0.1 only, on a free port,
#      fsync=off, trust auth, UTF8, locale C.UTF-8, TimeZone UTC),
#   2. applies the forward migrations migrations/NNN_*.sql (every file except
#      *_rollback.sql) in numeric order of their prefix, each with
#      `psql -X -v ON_ERROR_STOP=1 -f FILE` (any error aborts the run),
#   3. for every table in schema public (relkind r or p, ordered by name in
#      byte order) writes the exact stdout of `psql -X -c '\d TABLENAME'` to
#      tests/fixtures/example-psql/TABLENAME.txt.
# The fixture directory is wiped and rewritten. The server and its directory
# are stopped and removed on exit, whatever happens.
#
# Usage, from the repository root (as root or as an ordinary user; as root the
# server runs as "postgres" via runuser):
#   scripts/capture-example-psql.sh
# Environment:
#   PG_BIN   server binaries (default: newest /usr/lib/postgresql/*/bin)
#   PSQL     psql client     (default: $PG_BIN/psql, else /usr/bin/psql)
#   PGPORT   port to use     (default: a free port; 55432 is never used)
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
migrations_dir="$repo_root/migrations"
out_dir="$repo_root/tests/fixtures/example-psql"

die() { echo "capture-example-psql: $*" >&2; exit 1; }

if [[ -z "${PG_BIN:-}" ]]; then
    PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k5,5n | tail -n 1 || true)
fi
[[ -n "$PG_BIN" && -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] \
    || die "no PostgreSQL server binaries (initdb, pg_ctl) found${PG_BIN:+ in $PG_BIN}: apt-get install postgresql"
if [[ -z "${PSQL:-}" ]]; then
    if [[ -x "$PG_BIN/psql" ]]; then PSQL=$PG_BIN/psql; else PSQL=/usr/bin/psql; fi
fi
[[ -d "$migrations_dir" ]] || die "no migrations directory $migrations_dir"

# Run server-side commands as postgres when we are root (initdb refuses root).
is_root=0
[[ $(id -u) -eq 0 ]] && is_root=1
as_pg() {
    if [[ $is_root -eq 1 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

if [[ -z "${PGPORT:-}" ]]; then
    if command -v python3 >/dev/null 2>&1; then
        PGPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    else
        # No python3: try ports until nothing answers on one.
        PGPORT=54500
        while [[ $PGPORT -eq 55432 ]] || (exec 3<>"/dev/tcp/127.0.0.1/$PGPORT") 2>/dev/null; do
            PGPORT=$((PGPORT + 1))
            [[ $PGPORT -lt 54700 ]] || die "no free port found"
        done
    fi
fi
[[ $PGPORT -ne 55432 ]] || die "port 55432 is reserved for the dev server"

tmp=$(mktemp -d /tmp/capture-example-psql.XXXXXX)
chmod 755 "$tmp"
if [[ $is_root -eq 1 ]]; then chown postgres:postgres "$tmp"; fi
datadir="$tmp/data"
server_started=0

cleanup() {
    local rc=$?
    if [[ $server_started -eq 1 ]]; then
        as_pg "$PG_BIN/pg_ctl" -D "$datadir" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Commands run with the temp dir as working directory: postgres may not be
# allowed to enter the caller's.
cd "$tmp"

echo "capture-example-psql: initdb in $tmp, port $PGPORT" >&2
as_pg "$PG_BIN/initdb" -D "$datadir" -U postgres --auth=trust --no-sync \
    --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
server_started=1
as_pg "$PG_BIN/pg_ctl" -D "$datadir" -l "$tmp/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $tmp -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC" \
    start >/dev/null || { cat "$tmp/server.log" >&2; die "server start failed"; }

unset PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE PGSSLMODE PGOPTIONS PSQLRC PSQL_PAGER LANGUAGE 2>/dev/null || true
export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGTZ=UTC PGCONNECT_TIMEOUT=10
export PGCLIENTENCODING=UTF8 LC_ALL=C.UTF-8 PAGER=

db=example
"$PSQL" -X -q -d postgres -v ON_ERROR_STOP=1 \
    -c "CREATE DATABASE $db TEMPLATE template0" >/dev/null

# Forward migrations in numeric order of their prefix.
files=()
while IFS= read -r f; do files+=("$f"); done < <(
    find "$migrations_dir" -maxdepth 1 -type f -name '[0-9]*_*.sql' ! -name '*_rollback.sql' \
        -printf '%f\n' | LC_ALL=C sort -t_ -k1,1n -k2)
[[ ${#files[@]} -gt 0 ]] || die "no NNN_*.sql files in $migrations_dir"

for f in "${files[@]}"; do
    if ! out=$("$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$migrations_dir/$f" 2>&1 >/dev/null); then
        echo "$out" >&2
        die "$f failed"
    fi
    echo "capture-example-psql: applied $f" >&2
done

tables=$("$PSQL" -X -At -v ON_ERROR_STOP=1 -d "$db" -c "
    SELECT c.relname
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
    ORDER BY c.relname COLLATE \"C\"") || die "listing tables failed"

rm -rf "$out_dir"
mkdir -p "$out_dir"
n=0
while IFS= read -r t; do
    [[ -n "$t" ]] || continue
    [[ "$t" =~ ^[a-z_][a-z0-9_]*$ ]] || die "table name needs quoting, not supported here: $t"
    "$PSQL" -X -P pager=off -d "$db" -c "\\d $t" >"$out_dir/$t.txt" || die "\\d $t failed"
    [[ -s "$out_dir/$t.txt" ]] || die "\\d $t printed nothing"
    n=$((n + 1))
done <<<"$tables"

echo "capture-example-psql: ${#files[@]} migration(s) applied, $n table(s) written to ${out_dir#"$repo_root"/}" >&2
