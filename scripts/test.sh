#!/usr/bin/env bash
# Runs the whole test suite, installing what it needs first (idempotent):
#   - Debian's PostgreSQL server, which the fidelity tests start on 127.0.0.1 by themselves;
#   - rustfmt and clippy;
#   - squawk-cli 2.70.0 from PyPI (pip --user), the reference of tests/squawk_parity.rs;
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

# squawk-cli, pinned: the parity test compares the rules with this exact version. Skipped when a squawk in
# $SQUAWK, in pip's script directories or on PATH already says so.
SQUAWK_VERSION=2.70.0
find_squawk() {
  local dir candidates=("${SQUAWK:-}")
  for args in "'scripts', os.name + '_user'" "'scripts'"; do
    dir=$(python3 -c "import os, sysconfig; print(sysconfig.get_path($args))" 2>/dev/null) &&
      candidates+=("$dir/squawk")
  done
  candidates+=("$(command -v squawk || true)")
  for c in "${candidates[@]}"; do
    if [ -n "$c" ] && [ -x "$c" ] && [ "$("$c" --version 2>/dev/null)" = "squawk $SQUAWK_VERSION" ]; then
      echo "$c"
      return 0
    fi
  done
  return 1
}
if ! SQUAWK=$(find_squawk); then
  echo "Installing squawk-cli $SQUAWK_VERSION (PyPI) for the squawk parity test..."
  if ! python3 -m pip --version >/dev/null 2>&1; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null
  fi
  # --user works as root too; PIP_BREAK_SYSTEM_PACKAGES lets Debian 12's pip install into the user site.
  PIP_BREAK_SYSTEM_PACKAGES=1 PIP_ROOT_USER_ACTION=ignore python3 -m pip install --user --quiet --disable-pip-version-check \
    "squawk-cli==$SQUAWK_VERSION"
  SQUAWK=$(find_squawk) || { echo "squawk-cli $SQUAWK_VERSION is installed but not found" >&2; exit 1; }
fi
export SQUAWK

cargo test --locked "$@"

if [ "${SKIP_WEB:-}" != 1 ]; then
  scripts/test-web.sh
fi
