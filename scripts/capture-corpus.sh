#!/usr/bin/env bash
# capture-corpus.sh: record ground truth for the \d corpus from a real PostgreSQL 15.
#
# For every set directory tests/corpus/<set>/ (or only the sets named as
# arguments) this script:
#   1. creates a fresh database on a throwaway PostgreSQL server,
#   2. applies the set's NNN_*.sql files in numeric order of their prefix with
#      `psql -X -q -v ON_ERROR_STOP=1 -f FILE` (any error aborts the run),
#   3. for every table (relkind r or p) in every non-system schema, ordered by
#      schema then name (byte order), writes the exact stdout of
#      `psql -X -P pager=off -c '\d ARG'` to tests/corpus/<set>/expected/<file>.txt,
#      where ARG is quote_ident(table) for schema public and
#      quote_ident(schema).quote_ident(table) otherwise, and <file> is
#      "table" or "schema.table" (unquoted names) with every character outside
#      [A-Za-z0-9._-] (per character, not per byte) replaced by "_",
#   4. writes tests/corpus/<set>/expected/_tables.txt: the ARGs, one per line,
#      in the order used (a test replays exactly these).
# The expected/ directory of each captured set is wiped and rewritten.
#
# Usage (as root or as an ordinary user; as root the server runs as "postgres"):
#   scripts/capture-corpus.sh                 # every set
#   scripts/capture-corpus.sh types-numeric   # only the named sets
# Environment:
#   PG_BIN        server binaries (default /usr/lib/postgresql/15/bin)
#   PSQL          psql client     (default /usr/bin/psql, else psql on PATH)
#   CAPTURE_PORT  port to use (default: first free port from 54410 upward; 55432 is never used)
#
# The server (initdb in a temp dir, 127.0.0.1 only, fsync=off, trust auth,
# locale C.UTF-8, UTF8, TimeZone UTC) is stopped and removed on exit.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
corpus_dir="$repo_root/tests/corpus"
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
if [[ -z "${PSQL:-}" ]]; then
    if [[ -x /usr/bin/psql ]]; then PSQL=/usr/bin/psql; else PSQL=psql; fi
fi

die() { echo "capture-corpus: $*" >&2; exit 1; }

[[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "no initdb/pg_ctl in $PG_BIN"
[[ -d "$corpus_dir" ]] || die "no corpus directory $corpus_dir"

# Run server-side commands as postgres when we are root (initdb refuses root).
as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

port_in_use() {
    local p=$1
    if command -v ss >/dev/null 2>&1; then
        ss -ltnH "sport = :$p" 2>/dev/null | grep -q .
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null
    fi
}

# Sets to capture.
sets=()
if [[ $# -gt 0 ]]; then
    for s in "$@"; do
        s=${s%/}; s=${s##*/}
        [[ -d "$corpus_dir/$s" ]] || die "no such set: $s"
        sets+=("$s")
    done
else
    while IFS= read -r d; do sets+=("$d"); done < <(
        find "$corpus_dir" -mindepth 1 -maxdepth 1 -type d -printf '%f\n' | LC_ALL=C sort)
fi

PGPORT=${CAPTURE_PORT:-}
if [[ -z "$PGPORT" ]]; then
    PGPORT=54410
    while [[ $PGPORT -eq 55432 ]] || port_in_use "$PGPORT"; do
        PGPORT=$((PGPORT + 1))
        [[ $PGPORT -lt 54600 ]] || die "no free port found"
    done
fi
[[ $PGPORT -ne 55432 ]] || die "port 55432 is reserved for someone else"

tmp=$(mktemp -d /tmp/capture-corpus.XXXXXX)
chmod 755 "$tmp"
if [[ $(id -u) -eq 0 ]]; then chown postgres: "$tmp"; fi
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

echo "capture-corpus: initdb in $tmp, port $PGPORT" >&2
as_pg "$PG_BIN/initdb" -D "$datadir" -U postgres --auth=trust \
    --encoding=UTF8 --locale=C.UTF-8 >"$tmp/initdb.log" 2>&1 \
    || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
server_started=1
as_pg "$PG_BIN/pg_ctl" -D "$datadir" -l "$tmp/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $tmp -c fsync=off \
        -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC" \
    start >/dev/null || { cat "$tmp/server.log" >&2; die "server start failed"; }

export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGTZ=UTC PGOPTIONS="-c client_min_messages=warning"
unset PGDATABASE PGPASSWORD PGSERVICE PGSSLMODE PSQLRC PSQL_PAGER PAGER 2>/dev/null || true
export LC_ALL=C.UTF-8

list_tables_sql="
SELECT CASE WHEN n.nspname = 'public' THEN quote_ident(c.relname)
            ELSE quote_ident(n.nspname) || '.' || quote_ident(c.relname) END
       || E'\t' ||
       CASE WHEN n.nspname = 'public' THEN c.relname
            ELSE n.nspname || '.' || c.relname END
FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
ORDER BY n.nspname COLLATE \"C\", c.relname COLLATE \"C\""

total_tables=0
for set in "${sets[@]}"; do
    dir="$corpus_dir/$set"
    # Migration files sorted by their numeric prefix.
    files=()
    while IFS= read -r f; do files+=("$f"); done < <(
        find "$dir" -maxdepth 1 -type f -name '[0-9]*_*.sql' -printf '%f\n' \
            | LC_ALL=C sort -t_ -k1,1n -k2)
    [[ ${#files[@]} -gt 0 ]] || { echo "capture-corpus: $set: no NNN_*.sql files, skipped" >&2; continue; }

    exp="$dir/expected"
    rm -rf "$exp"   # never leave stale ground truth behind, even if the set fails

    db="corpus_$(echo "$set" | tr -c 'A-Za-z0-9\n' '_')"
    "$PSQL" -X -q -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\" TEMPLATE template0" >/dev/null

    for f in "${files[@]}"; do
        if ! out=$("$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$dir/$f" 2>&1 >/dev/null); then
            echo "$out" >&2
            die "$set/$f failed"
        fi
    done

    mkdir -p "$exp"
    : >"$exp/_tables.txt"
    tables=$("$PSQL" -X -At -v ON_ERROR_STOP=1 -d "$db" -c "$list_tables_sql") \
        || die "$set: listing tables failed"
    declare -A seen=()
    n=0
    while IFS=$'\t' read -r arg name; do
        [[ -n "$arg" ]] || continue
        file=$(printf '%s' "$name" | LC_ALL=C.UTF-8 sed 's/[^A-Za-z0-9._-]/_/g')
        [[ -z "${seen[$file]:-}" ]] || die "$set: file name collision on $file.txt ($arg)"
        seen[$file]=1
        "$PSQL" -X -P pager=off -d "$db" -c "\\d $arg" >"$exp/$file.txt" \
            || die "$set: \\d $arg failed"
        [[ -s "$exp/$file.txt" ]] || die "$set: \\d $arg printed nothing"
        printf '%s\n' "$arg" >>"$exp/_tables.txt"
        n=$((n + 1))
    done <<<"$tables"
    unset seen

    "$PSQL" -X -q -d postgres -c "DROP DATABASE \"$db\"" >/dev/null
    total_tables=$((total_tables + n))
    printf 'capture-corpus: %-28s %3d file(s) %3d table(s)\n' "$set" "${#files[@]}" "$n" >&2
done
echo "capture-corpus: ${#sets[@]} set(s), $total_tables table(s) captured" >&2
