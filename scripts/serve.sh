#!/usr/bin/env bash
# Builds the web app and serves it at http://127.0.0.1:8080 (PORT=… to change), rebuilding when a file
# changes (reload the page to see it). Installs what is missing first (scripts/setup-web.sh).
# Extra arguments go to `trunk serve`, e.g. `scripts/serve.sh --release`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-web.sh
export PATH="$PWD/e2e/node_modules/.bin:$HOME/.cargo/bin:$PATH"   # npm binaryen's wasm-opt comes first
export TRUNK_SKIP_VERSION_CHECK=true                               # no request to crates.io from trunk
exec trunk serve --address 127.0.0.1 --port "${PORT:-8080}" "$@"
