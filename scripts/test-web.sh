#!/usr/bin/env bash
# Browser tests of the web app: a release build (trunk), served from dist/ on 127.0.0.1, driven by
# headless chromium through playwright-core (e2e/app.test.mjs). Installs what is missing first.
# Screenshots go to e2e/artifacts/. The last line is "N passed, M failed"; exits non-zero on failure.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-web.sh --browser
export PATH="$PWD/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

trunk build --release

port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory dist >/dev/null 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/')" 2>/dev/null && break
  sleep 0.1
done

# The benchmarks' 1,000-file history, for the typing figures on a long project (the generator needs no
# server; a dev build of it is enough).
history=$(mktemp -d)
trap 'kill "$server" 2>/dev/null || true; rm -rf "$history"' EXIT
cargo run --quiet --locked --example gen_history -- "$history" 1000 >/dev/null
export HISTORY_DIR="$history"

node e2e/app.test.mjs "http://127.0.0.1:$port/"
