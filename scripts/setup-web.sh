#!/usr/bin/env bash
# Installs what building and testing the web app needs; idempotent, so every web script runs it first:
#   - the wasm32-unknown-unknown target;
#   - trunk 0.21.14 (0.22 needs a newer rustc; a first install compiles for about 7 minutes);
#   - wasm-bindgen-cli at exactly Cargo.lock's wasm-bindgen version (without --locked: its own lock file
#     pins a crate version the registry lacks);
#   - e2e/node_modules: playwright-core and npm's binaryen, whose wasm-opt trunk uses (Debian's is too old);
#   - the crates (trunk runs cargo --offline);
#   - with --browser, Debian's chromium for the browser tests.
# Usage: scripts/setup-web.sh [--browser]
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk 0.21.14" ]; then
  echo "Installing trunk 0.21.14 (compiles for several minutes)..."
  cargo install --locked trunk --version 0.21.14
fi

wb=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$wb" ]; then
  echo "Installing wasm-bindgen-cli $wb..."
  cargo install wasm-bindgen-cli --version "$wb"
fi

# npm ci when node_modules is missing or older than the lock file.
if [ ! -f e2e/node_modules/.package-lock.json ] || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
  (cd e2e && npm ci --no-audit --no-fund)
fi

cargo fetch --locked

if [ "${1:-}" = "--browser" ] && [ ! -x /usr/bin/chromium ]; then
  echo "Installing chromium (Debian package) for the browser tests..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
