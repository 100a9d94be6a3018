#!/usr/bin/env bash
# capture-corpus.sh: record ground truth for the \d corpus from a real PostgreSQL 15.
#
# For every set directory tests/corpus/<set>/ (or only the sets named as
# arguments) this script:
#   1. creates a fresh database on a throwaway PostgreSQL server,
#   2. applies the set's forward migrations in run order with
#      `psql -X -q -v ON_ERROR_STOP=1 -f FILE` (any error aborts the run, unless
#      the set expects one, see below). The forward migrations, by naming scheme
#      (the first that matches decides):
#        goose / dbmate   files with a `-- +goose Up` (`-- migrate:up`) line:
#                         every NNN_*.sql, numeric order, only the Up section
#                         (a copy with every other line blanked, so that psql's
#                         line numbers are the file's);
#        golang-migrate   NNN_*.up.sql, numeric order (.down.sql never runs);
#        Flyway           V<version>__*.sql, version order (V1 < V1_1 < V2 < V10;
#                         U…__ undo files never run);
#        NNN_name.sql     NNN_*.sql without *_rollback.sql, numeric order of the
#                         prefix (timestamps are numbers too);
#      expected/_order.txt lists them, one file name per line, in that order,
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
# Sets in which PostgreSQL rejects a migration: a set directory holding a file
# named EXPECT_FAILURE lists (one word per line, `#` comments allowed) the
# runner modes in which a migration fails: `psql` (`psql -f FILE` per file) and/or
# `transaction` (`psql -1 -f FILE` per file); an empty file means both. This
# script runs the `psql` mode only: when EXPECT_FAILURE names it, the files are
# applied up to the first failure (the set must fail, or the script aborts),
# the tables are captured as they are at that point (statements before the
# failing one stay applied), and expected/_stop.txt records where it stopped:
#      file: <the failing file's name>
#      line: <the line psql reports, `psql:FILE:LINE: ERROR:`>
#      error: <PostgreSQL's message, without the `ERROR:  ` prefix>
#   followed by psql's complete error output (file path shortened to the name).
# tests/fidelity_live.rs checks both modes against a live server.
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

# Files of directory $1 matching the find(1) pattern $2, one name per line.
list_files() { find "$1" -maxdepth 1 -type f -name "$2" -printf '%f\n'; }

# Whether file $1 has a goose (`-- +goose Up`) or dbmate (`-- migrate:up`) marker line.
has_section_markers() {
    grep -Eiq '^[[:space:]]*--[[:space:]]*(\+goose[[:space:]]+up|migrate:up)[[:space:]]*$' "$1"
}

# Copies file $1 to $2 with every line outside its Up section blanked (line numbers kept).
up_section_only() {
    awk '
        /^[ \t]*--[ \t]*\+[Gg][Oo][Oo][Ss][Ee][ \t]+[Uu][Pp][ \t]*\r?$/ || /^[ \t]*--[ \t]*migrate:up[ \t]*\r?$/ { up = 1; print ""; next }
        /^[ \t]*--[ \t]*\+[Gg][Oo][Oo][Ss][Ee][ \t]+[Dd][Oo][Ww][Nn][ \t]*\r?$/ || /^[ \t]*--[ \t]*migrate:down[ \t]*\r?$/ { up = 0; print ""; next }
        { print (up ? $0 : "") }
    ' "$1" >"$2"
}

# The forward migrations of set directory $1 in run order, one name per line (see the header).
forward_files() {
    local dir=$1 f sections=0
    while IFS= read -r f; do
        if has_section_markers "$dir/$f"; then sections=1; fi
    done < <(list_files "$dir" '[0-9]*_*.sql')
    if [[ $sections -eq 1 ]]; then
        list_files "$dir" '[0-9]*_*.sql' | LC_ALL=C sort -t_ -k1,1n -k2
    elif [[ -n $(list_files "$dir" '[0-9]*_*.up.sql') ]]; then
        list_files "$dir" '[0-9]*_*.up.sql' | LC_ALL=C sort -t_ -k1,1n -k2
    elif [[ -n $(list_files "$dir" 'V[0-9]*__*.sql') ]]; then
        # Version with `_` read as `.`, compared part by part as numbers.
        list_files "$dir" 'V[0-9]*__*.sql' | while IFS= read -r f; do
            v=${f#V}; v=${v%%__*}; printf '%s\t%s\n' "${v//_/.}" "$f"
        done | LC_ALL=C sort -t$'\t' -k1,1V | cut -f2
    else
        list_files "$dir" '[0-9]*_*.sql' | grep -v '_rollback\.sql$' | LC_ALL=C sort -t_ -k1,1n -k2
    fi
}

# The runner modes named in set directory $1's EXPECT_FAILURE file ("psql transaction" when empty);
# nothing when there is no such file.
expected_failure_modes() {
    local marker="$1/EXPECT_FAILURE" modes
    [[ -f "$marker" ]] || return 0
    modes=$(sed 's/#.*//' "$marker" | tr -s ' \t\r' '\n\n\n' | grep -v '^$' | LC_ALL=C sort -u | tr '\n' ' ')
    for m in $modes; do
        [[ $m == psql || $m == transaction ]] || die "$1/EXPECT_FAILURE: unknown runner mode '$m' (psql, transaction)"
    done
    echo "${modes:-psql transaction}"
}

total_tables=0
for set in "${sets[@]}"; do
    dir="$corpus_dir/$set"
    files=()
    while IFS= read -r f; do files+=("$f"); done < <(forward_files "$dir")
    [[ ${#files[@]} -gt 0 ]] || { echo "capture-corpus: $set: no migration files, skipped" >&2; continue; }
    expect_failure=0
    [[ " $(expected_failure_modes "$dir") " == *" psql "* ]] && expect_failure=1

    exp="$dir/expected"
    rm -rf "$exp"   # never leave stale ground truth behind, even if the set fails

    db="corpus_$(echo "$set" | tr -c 'A-Za-z0-9\n' '_')"
    "$PSQL" -X -q -d postgres -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS \"$db\"" -c "CREATE DATABASE \"$db\" TEMPLATE template0" >/dev/null

    stop_file="" stop_out=""
    rm -rf "$tmp/run" && mkdir "$tmp/run"
    for f in "${files[@]}"; do
        path="$dir/$f"
        if has_section_markers "$path"; then
            path="$tmp/run/$f"
            up_section_only "$dir/$f" "$path"
        fi
        if ! out=$("$PSQL" -X -q -v ON_ERROR_STOP=1 -d "$db" -f "$path" 2>&1 >/dev/null); then
            if [[ $expect_failure -eq 0 ]]; then
                echo "$out" >&2
                die "$set/$f failed"
            fi
            stop_file=$f
            stop_out=${out//"psql:$path:"/"psql:$f:"}
            break
        fi
    done
    if [[ $expect_failure -eq 1 && -z $stop_file ]]; then
        die "$set: EXPECT_FAILURE names the psql mode, but every file applied"
    fi

    mkdir -p "$exp"
    printf '%s\n' "${files[@]}" >"$exp/_order.txt"
    if [[ -n $stop_file ]]; then
        first=$(grep -m1 -E "^psql:$(printf '%s' "$stop_file" | sed 's/[.[\*^$]/\\&/g'):[0-9]+: ERROR:  " <<<"$stop_out") \
            || die "$set/$f: no 'psql:FILE:LINE: ERROR:' line in psql's output:"$'\n'"$stop_out"
        rest=${first#"psql:$stop_file:"}
        {
            printf 'file: %s\n' "$stop_file"
            printf 'line: %s\n' "${rest%%:*}"
            printf 'error: %s\n' "${rest#*: ERROR:  }"
            printf '\n%s\n' "$stop_out"
        } >"$exp/_stop.txt"
    fi
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
    printf 'capture-corpus: %-32s %3d file(s) %3d table(s)%s\n' "$set" "${#files[@]}" "$n" \
        "${stop_file:+, stopped in $stop_file}" >&2
done
echo "capture-corpus: ${#sets[@]} set(s), $total_tables table(s) captured" >&2
