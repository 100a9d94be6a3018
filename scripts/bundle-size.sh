#!/usr/bin/env bash
# Reports the gzipped size of the web bundle in dist/ (wasm + js + css; budget 700 KB) and what
# dominates the wasm. Run after `trunk build --release` (scripts/test-web.sh does one). The per-crate
# breakdown reads cargo's output under $CARGO_TARGET_DIR (default target/), as trunk does.
# Usage: scripts/bundle-size.sh [--build]
set -euo pipefail
cd "$(dirname "$0")/.."
budget=$((700 * 1024))
if [ "${1:-}" = "--build" ]; then
  scripts/setup-web.sh
  PATH="$PWD/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH" TRUNK_SKIP_VERSION_CHECK=true trunk build --release
fi
shopt -s nullglob
files=(dist/*.wasm dist/*.js dist/*.css)
if [ ${#files[@]} -eq 0 ]; then
  echo "dist/ has no bundle: run scripts/bundle-size.sh --build" >&2
  exit 2
fi
total=0
printf '%-44s %10s %10s\n' file bytes gzip-9
for f in "${files[@]}"; do
  raw=$(stat -c %s "$f")
  gz=$(gzip -9 -c "$f" | wc -c)
  total=$((total + gz))
  printf '%-44s %10d %10d\n' "$f" "$raw" "$gz"
done
printf '%-44s %10s %10d  (budget %d)\n' total "" "$total" "$budget"

# What dominates: with twiggy (cargo install --locked twiggy), the largest functions of cargo's output (it
# still has function names; wasm-opt removes them), grouped by crate; else the sections of the final wasm.
wasm=$(ls dist/*.wasm | head -1)
named=${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/web/app.wasm
if command -v twiggy >/dev/null && [ -f "$named" ]; then
  echo; echo "Code and data by crate, before wasm-bindgen and wasm-opt ($named):"
  twiggy top -n 1000000 --format csv "$named" | python3 -c '
import csv, re, sys, collections
by = collections.Counter()
for r in csv.DictReader(sys.stdin):
    name, size = r["Name"], int(r["ShallowSize"])
    # Names, custom sections and the wasm-bindgen describe functions never reach dist/.
    if "function names" in name or name.startswith("custom section") or "__wbindgen_describe" in name:
        continue
    if name.startswith("data segment"):
        by["(static data)"] += size
        continue
    m = re.search(r"([a-z_][a-z0-9_]*)(\[[0-9a-f]+\])?::", name)
    by[m.group(1) if m else "(other)"] += size
total = sum(by.values())
for k, v in by.most_common(12):
    print(f"  {k:24} {v:9d}  {100 * v / total:4.1f}%")
'
  echo; echo "Largest functions:"
  twiggy top -n 12 "$named" | cut -c1-150
else
  echo; echo "Sections of $wasm (install twiggy for a per-function breakdown):"
  python3 - "$wasm" <<'PY'
import sys
data = open(sys.argv[1], 'rb').read()
def leb(i):
    r = s = 0
    while True:
        b = data[i]; i += 1; r |= (b & 0x7f) << s; s += 7
        if b < 0x80: return r, i
names = {0: 'custom', 1: 'type', 2: 'import', 3: 'function', 5: 'memory', 6: 'global', 7: 'export', 9: 'elem', 10: 'code', 11: 'data', 12: 'datacount', 4: 'table', 8: 'start'}
i = 8
while i < len(data):
    sid = data[i]; size, j = leb(i + 1)
    print(f"  {names.get(sid, sid):10} {size:10d}")
    i = j + size
PY
fi
if [ "$total" -gt "$budget" ]; then
  echo "over budget: $total > $budget bytes" >&2
  exit 1
fi
