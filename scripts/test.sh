#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first (idempotent):
#   - Debian's PostgreSQL server, which the fidelity tests start on 127.0.0.1 by themselves;
#   - rustfmt and clippy;
#   - for the web app's browser tests (scripts/test-web.sh, run last): trunk, wasm-bindgen-cli, chromium and
#     e2e/node_modules (scripts/setup-web.sh). SKIP_WEB=1 skips them.
# Usage: scripts/test.sh [extra cargo test arguments]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "Installing PostgreSQL (Debian package postgresql) for the fidelity tests..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

cargo test --locked "$@"

if [ "${SKIP_WEB:-}" != 1 ]; then
  scripts/test-web.sh
fi
