#!/usr/bin/env bash
# bench.sh: measure the engine's performance budgets on a generated migration history, next to
# squawk and a real PostgreSQL 15. It reports figures; it never fails because of a time, and it is
# not part of the test suite (scripts/test.sh and .ci/run do not run it).
#
# What it does:
#   1. builds the release CLI and the history generator (examples/gen_history.rs);
#   2. generates an N-file history (default 1,000 files, ~4 MB) into a temp dir;
#   3. times `schema-playground check DIR` on it (best of BENCH_RUNS, with hyperfine when installed,
#      else a bash loop) and measures its peak RSS with /usr/bin/time -v;
#   4. times squawk (PyPI squawk-cli, installed into target/bench-venv) linting the same files, in
#      alternating rounds with check: BENCH_ROUNDS rounds run back to back ("warm"), then as many with
#      BENCH_REST seconds of rest before each run ("cold", as a one-off run in CI meets the machine);
#      the order flips every round; medians, the per-round ratio and the rounds check won;
#   5. times a throwaway PostgreSQL 15 applying them, each file with
#      `psql -X -q -v ON_ERROR_STOP=1 -f FILE` in order (a failing file aborts the script: every
#      generated history must apply cleanly);
#   6. prints a table of the figures.
#
# Usage (as root, or a user who can sudo; as root the server runs as "postgres"):
#   scripts/bench.sh            # 1,000 files
#   scripts/bench.sh 200        # another size
# Environment:
#   BENCH_RUNS    runs per timing (default 5; the best is reported)
#   BENCH_ROUNDS  alternating rounds of check and squawk, warm and cold each (default 15)
#   BENCH_REST    seconds of rest before each cold run (default 3: on a VM whose balloon reports freed
#                 memory to the host, about 2 s after a process exits its pages are the host's again)
#   BENCH_SLOW_SECS  a check run slower than this (default 20 s) is reported once, not repeated
#   SKIP_SQUAWK=1 / SKIP_PG=1   leave out squawk / PostgreSQL
#   BENCH_NO_HYPERFINE=1        time with the bash loop even when hyperfine is installed
#   PG_BIN        server binaries (default /usr/lib/postgresql/15/bin)
#   PSQL          psql client (default $PG_BIN/psql, else /usr/bin/psql, else psql on PATH)
#   BENCH_PORT    port of the throwaway server (default: first free port from 54610 upward)
#   CARGO_TARGET_DIR  honoured as cargo does
# Installs what it needs, idempotently: Debian packages time and hyperfine (only when missing),
# squawk-cli in a venv under target/bench-venv (only when missing). The temp dir and the server
# are removed on exit.
set -euo pipefail

repo_root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$repo_root"
N=${1:-1000}
RUNS=${BENCH_RUNS:-5}
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
# The server's own psql: Debian's /usr/bin/psql is a Perl wrapper (pg_wrapper) that adds ~50 ms to
# every call, which would be most of what we measure.
if [[ -z "${PSQL:-}" ]]; then
    if [[ -x "$PG_BIN/psql" ]]; then PSQL=$PG_BIN/psql
    elif [[ -x /usr/bin/psql ]]; then PSQL=/usr/bin/psql
    else PSQL=psql; fi
fi
target_dir=${CARGO_TARGET_DIR:-$repo_root/target}
venv="$target_dir/bench-venv"

die() { echo "bench: $*" >&2; exit 1; }
say() { echo "bench: $*" >&2; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
as_pg() { if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }

[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive integer (got '$N')"

# --- tools ------------------------------------------------------------------------------------
missing=()
[[ -x /usr/bin/time ]] || missing+=(time)
command -v hyperfine >/dev/null 2>&1 || missing+=(hyperfine)
if [[ ${#missing[@]} -gt 0 ]]; then
    say "installing ${missing[*]} (apt)"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null \
        || say "could not install ${missing[*]}; falling back where possible"
fi
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (Debian package time)"
have_hyperfine=0
command -v hyperfine >/dev/null 2>&1 && [[ "${BENCH_NO_HYPERFINE:-0}" != 1 ]] && have_hyperfine=1

if [[ "${SKIP_SQUAWK:-0}" != 1 && ! -x "$venv/bin/squawk" ]]; then
    say "installing squawk-cli into $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check squawk-cli
fi

# --- build and generate -----------------------------------------------------------------------
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
say "building the release CLI and the generator"
cargo build --release --locked --quiet --bin schema-playground --example gen_history
cli="$target_dir/release/schema-playground"
gen="$target_dir/release/examples/gen_history"

tmp=$(mktemp -d /tmp/bench.XXXXXX)
chmod 755 "$tmp"
datadir="$tmp/pgdata"
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

hist="$tmp/history"
"$gen" "$hist" "$N" 2>/dev/null
nfiles=$(find "$hist" -name '*.sql' | wc -l)
bytes=$(cat "$hist"/*.sql | wc -c)
say "generated $nfiles files, $bytes bytes"

# Seconds (best, mean) of a shell command over RUNS runs; its exit status is ignored.
time_cmd() {
    local cmd=$1
    if [[ $have_hyperfine -eq 1 ]]; then
        hyperfine --style none --ignore-failure --warmup 1 --runs "$RUNS" --export-json "$tmp/hf.json" \
            "$cmd" >/dev/null 2>&1 || die "hyperfine failed on: $cmd"
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print("%.3f %.3f" % (r["min"], r["mean"]))' \
            "$tmp/hf.json"
    else
        local best="" sum=0 i s e d
        bash -c "$cmd" >/dev/null 2>&1 || true   # warm-up
        for ((i = 0; i < RUNS; i++)); do
            s=$(date +%s.%N)
            bash -c "$cmd" >/dev/null 2>&1 || true
            e=$(date +%s.%N)
            d=$(python3 -c "print($e - $s)")
            sum=$(python3 -c "print($sum + $d)")
            if [[ -z "$best" ]] || python3 -c "import sys; sys.exit(0 if $d < $best else 1)"; then best=$d; fi
        done
        python3 -c "print('%.3f %.3f' % ($best, $sum / $RUNS))"
    fi
}

# --- schema-playground check ------------------------------------------------------------------
# The first run gives the diagnostics summary, the peak RSS and a first time. When it is slow (over
# SLOW_SECS) the repeated timing is skipped and that one run is reported.
SLOW_SECS=${BENCH_SLOW_SECS:-20}
set +e
s=$(date +%s.%N)
/usr/bin/time -v -o "$tmp/rss.txt" "$cli" check "$hist" >"$tmp/check.out" 2>&1
check_rc=$?
e=$(date +%s.%N)
set -e
first_secs=$(python3 -c "print('%.3f' % ($e - $s))")
check_summary=$(tail -n 1 "$tmp/check.out")
say "check: $check_summary (exit $check_rc, $first_secs s)"
if [[ $check_rc -ne 0 ]]; then
    say "check reported errors on a history PostgreSQL accepts (first ones):"
    grep -m 5 'error\[' "$tmp/check.out" >&2 || true
fi
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tmp/rss.txt")
rss_mb=$(python3 -c "print('%.1f' % ($rss_kb / 1024))")
cpu_secs=$(awk -F': ' '/User time|System time/ {s += $2} END {printf "%.2f", s}' "$tmp/rss.txt")
if python3 -c "import sys; sys.exit(0 if $first_secs > $SLOW_SECS else 1)"; then
    say "check took over $SLOW_SECS s: reporting that single run"
    check_line="$first_secs s (one run: over ${SLOW_SECS} s, not repeated)"
else
    read -r check_best check_mean < <(time_cmd "'$cli' check '$hist'")
    check_line="$check_best s (mean $check_mean s)"
fi

# --- squawk -----------------------------------------------------------------------------------
squawk_line="(skipped)"
if [[ "${SKIP_SQUAWK:-0}" != 1 ]]; then
    squawk_version=$("$venv/bin/squawk" --version 2>&1 | head -n 1)
    set +e
    "$venv/bin/squawk" "$hist"/*.sql >"$tmp/squawk.out" 2>&1
    squawk_rc=$?
    set -e
    say "$squawk_version: exit $squawk_rc, $(wc -l <"$tmp/squawk.out") lines of output"
    read -r squawk_best squawk_mean < <(time_cmd "'$venv/bin/squawk' '$hist'/*.sql")
    squawk_line="$squawk_best s (mean $squawk_mean s)"
    ROUNDS=${BENCH_ROUNDS:-15}
    REST=${BENCH_REST:-3}
    [[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_ROUNDS must be a positive integer (got '$ROUNDS')"
    # Alternating rounds: the order flips every round, because a run right after a large process
    # meets other pages than one right after a small one.
    rounds() {
        local rest=$1 out=$2 i who s e
        : >"$out"
        for ((i = 0; i < ROUNDS; i++)); do
            local order=(check squawk)
            if ((i % 2)); then order=(squawk check); fi
            for who in "${order[@]}"; do
                sleep "$rest"
                s=$(date +%s.%N)
                if [[ $who == check ]]; then "$cli" check "$hist" >/dev/null 2>&1 || true
                else "$venv/bin/squawk" "$hist"/*.sql >/dev/null 2>&1 || true; fi
                e=$(date +%s.%N)
                echo "$i $who $s $e" >>"$out"
            done
        done
        python3 - "$out" <<'PY'
import statistics, sys
t = {}
for line in open(sys.argv[1]):
    i, who, s, e = line.split()
    t.setdefault(who, {})[int(i)] = float(e) - float(s)
c, q = t["check"], t["squawk"]
ratios = [c[i] / q[i] for i in c]
won = sum(1 for i in c if c[i] < q[i])
print("check %.3f s, squawk %.3f s (medians of %d rounds); per-round ratio %.3f; check faster in %d of %d"
      % (statistics.median(c.values()), statistics.median(q.values()), len(c), statistics.median(ratios), won, len(c)))
PY
    }
    say "alternating rounds: $ROUNDS warm, $ROUNDS cold (${REST} s of rest before each run)"
    warm_line=$(rounds 0 "$tmp/warm.txt")
    cold_line=$(rounds "$REST" "$tmp/cold.txt")
fi

# --- PostgreSQL 15 ----------------------------------------------------------------------------
pg_line="(skipped)"
if [[ "${SKIP_PG:-0}" != 1 ]]; then
    [[ -x "$PG_BIN/initdb" && -x "$PG_BIN/pg_ctl" ]] || die "no initdb/pg_ctl in $PG_BIN (Debian package postgresql-15)"
    port_in_use() {
        if command -v ss >/dev/null 2>&1; then ss -ltnH "sport = :$1" 2>/dev/null | grep -q .
        else (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi
    }
    PGPORT=${BENCH_PORT:-}
    if [[ -z "$PGPORT" ]]; then
        PGPORT=54610
        while [[ $PGPORT -eq 55432 ]] || port_in_use "$PGPORT"; do
            PGPORT=$((PGPORT + 1))
            [[ $PGPORT -lt 54800 ]] || die "no free port found"
        done
    fi
    if [[ $(id -u) -eq 0 ]]; then chown postgres: "$tmp"; chmod -R a+rX "$hist"; fi
    as_pg "$PG_BIN/initdb" -D "$datadir" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$tmp/initdb.log" 2>&1 || { cat "$tmp/initdb.log" >&2; die "initdb failed"; }
    server_started=1
    as_pg "$PG_BIN/pg_ctl" -D "$datadir" -l "$tmp/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $PGPORT -k $tmp -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c TimeZone=UTC" \
        start >/dev/null || { cat "$tmp/server.log" >&2; die "server start failed"; }
    export PGHOST=127.0.0.1 PGPORT PGUSER=postgres PGTZ=UTC PGOPTIONS="-c client_min_messages=warning"
    unset PGDATABASE PGPASSWORD PGSERVICE PGSSLMODE PSQLRC 2>/dev/null || true
    pg_version=$("$PSQL" -X -At -d postgres -c 'SHOW server_version' | cut -d' ' -f1)
    "$PSQL" -X -q -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE bench TEMPLATE template0" >/dev/null
    mapfile -t files < <(find "$hist" -maxdepth 1 -name '[0-9]*_*.sql' -printf '%f\n' | LC_ALL=C sort -t_ -k1,1n)
    say "applying ${#files[@]} files to PostgreSQL $pg_version on port $PGPORT"
    start=$(date +%s.%N)
    for f in "${files[@]}"; do
        if ! out=$("$PSQL" -X -q -v ON_ERROR_STOP=1 -d bench -f "$hist/$f" 2>&1 >/dev/null); then
            echo "$out" >&2
            die "PostgreSQL rejected $f: the generator made invalid SQL"
        fi
    done
    end=$(date +%s.%N)
    pg_secs=$(python3 -c "print('%.2f' % ($end - $start))")
    # What starting psql and connecting costs on its own, times the number of files.
    s=$(date +%s.%N)
    for _ in $(seq 20); do "$PSQL" -X -q -d bench -c 'SELECT 1' >/dev/null; done
    e=$(date +%s.%N)
    floor=$(python3 -c "print('%.1f ms per file, %.2f s for %d files' % (($e - $s) / 20 * 1000, ($e - $s) / 20 * ${#files[@]}, ${#files[@]}))")
    tables=$("$PSQL" -X -At -d bench -c "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace")
    pg_line="$pg_secs s (one run; $tables tables; psql start-up alone: $floor)"
fi

# --- report -----------------------------------------------------------------------------------
how="bash loop"
[[ $have_hyperfine -eq 1 ]] && how="hyperfine $(hyperfine --version | awk '{print $2}')"
cat <<EOF

Schema Playground benchmark — $(date -u +%Y-%m-%d), $(nproc) cores, $(lscpu 2>/dev/null | awk -F': *' '/Model name/ {print $2; exit}'), commit $(git -C "$repo_root" rev-parse --short HEAD 2>/dev/null || echo '?')
Load average before / after: $load_before / $(cut -d' ' -f1-3 /proc/loadavg) (wall times on a busy machine are inflated)
History: $nfiles files, $bytes bytes (benches/support/history.rs, default seed); timings: best of $RUNS, $how

| measurement                                       | figure |
|---------------------------------------------------|--------|
| schema-playground check (wall)                    | $check_line |
| schema-playground check, CPU (user + sys)        | $cpu_secs s (first run) |
| schema-playground check, peak RSS                 | $rss_mb MB |
| ${squawk_version:-squawk} (wall)                     | $squawk_line |
| check against squawk, alternating rounds (warm)   | ${warm_line:-(skipped)} |
| the same, ${REST:-3} s of rest before each run (cold)  | ${cold_line:-(skipped)} |
| PostgreSQL ${pg_version:-15} applying the files (psql -f each) | $pg_line |

check said: $check_summary
EOF
