#!/usr/bin/env bash
# Measures the least wasm the page could ship: two minimal libraries built exactly as the web app is
# (Cargo.toml's [profile.web], then wasm-bindgen, then wasm-opt with index.html's data-wasm-opt settings),
# each exporting one `run(sql) -> String`:
#   - sqlparser-only: sqlparser alone (the app's version and wasm32 features), parsing and printing
#     statements;
#   - engine-only: the schema_playground library without the page: analyze one file, describe every
#     table, list the diagnostics.
# Prints their wasm sizes (raw and gzip -9) next to the app's own wasm in dist/ (when built) and the
# 700 KB budget of the whole page (docs/performance.md, "Web bundle").
# The two crates are written to a temporary directory with a copy of Cargo.lock, so the versions are the
# app's; cargo builds them in $CARGO_TARGET_DIR/bundle-floor (default target/bundle-floor), so a second
# run only relinks, and the final wasm files stay in its out/ folder. Installs what is missing with
# scripts/setup-web.sh. The first run takes several minutes.
# Usage: scripts/bundle-floor.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
budget=$((700 * 1024))
export PATH="$HOME/.cargo/bin:$PATH"

# Cargo.lock's version of a package.
locked() { awk -v n="$1" '$0 == "name = \"" n "\"" { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock; }
wb=$(locked wasm-bindgen)
sp=$(locked sqlparser)
wasm_opt=$root/e2e/node_modules/.bin/wasm-opt
if ! rustup target list --installed | grep -x wasm32-unknown-unknown >/dev/null \
  || [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$wb" ] \
  || [ ! -x "$wasm_opt" ]; then
  scripts/setup-web.sh
fi

# wasm-opt as trunk runs it for the app: -O<data-wasm-opt>, then data-wasm-opt-params.
opt_level=$(sed -n 's/.*data-wasm-opt="\([^"]*\)".*/\1/p' index.html)
read -ra opt_params <<<"$(sed -n 's/.*data-wasm-opt-params="\([^"]*\)".*/\1/p' index.html)"
if [ -z "$opt_level" ]; then
  echo "index.html has no data-wasm-opt" >&2
  exit 2
fi

target=$(realpath -m "${CARGO_TARGET_DIR:-target}/bundle-floor")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

{
  cat <<'EOF'
[workspace]
resolver = "3"
members = ["sqlparser-only", "engine-only"]

# The profiles of the app's Cargo.toml.
EOF
  awk '/^\[/ { keep = /^\[profile\./ } keep' Cargo.toml
} >"$work/Cargo.toml"
cp Cargo.lock "$work/Cargo.lock"

mkdir -p "$work/sqlparser-only/src" "$work/engine-only/src"
cat >"$work/sqlparser-only/Cargo.toml" <<EOF
[package]
name = "sqlparser-only"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
# As the app's Cargo.toml has it on wasm32.
sqlparser = { version = "=$sp", default-features = false, features = ["std", "visitor"] }
wasm-bindgen = "=$wb"
EOF
cat >"$work/sqlparser-only/src/lib.rs" <<'EOF'
use sqlparser::dialect::PostgreSqlDialect;
use sqlparser::parser::{Parser, ParserError};
use wasm_bindgen::prelude::*;

fn parse(sql: &str) -> Result<String, ParserError> {
    let statements = Parser::new(&PostgreSqlDialect {}).try_with_sql(sql)?.parse_statements()?;
    Ok(statements.iter().map(|s| s.to_string()).collect::<Vec<_>>().join("\n"))
}

/// The statements of `sql` printed back, one a line, or the parse error.
#[wasm_bindgen]
pub fn run(sql: &str) -> String {
    parse(sql).unwrap_or_else(|e| e.to_string())
}
EOF
cat >"$work/engine-only/Cargo.toml" <<EOF
[package]
name = "engine-only"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
crate-type = ["cdylib"]

[dependencies]
schema-playground = { path = "$root" }
wasm-bindgen = "=$wb"
EOF
cat >"$work/engine-only/src/lib.rs" <<'EOF'
use schema_playground::render::psql;
use schema_playground::{Options, SourceFile, analyze};
use wasm_bindgen::prelude::*;

/// `sql` analyzed as one migration: every table as psql's \d prints it, then the diagnostics.
#[wasm_bindgen]
pub fn run(sql: &str) -> String {
    let analysis = analyze(vec![SourceFile::new("001_init.sql", sql)], &Options::default());
    let catalog = &analysis.catalog;
    let mut out = String::new();
    for table in catalog.tables.values() {
        out.push_str(&psql::describe_table(catalog, table));
    }
    for d in &analysis.diagnostics {
        out.push_str(d.severity.as_str());
        out.push('[');
        out.push_str(d.rule);
        out.push_str("]: ");
        out.push_str(d.message.as_str());
        out.push('\n');
    }
    out
}
EOF

# Offline when every package is already downloaded (as trunk builds the app); else fetch them first.
manifest=(--manifest-path "$work/Cargo.toml")
if ! cargo fetch --offline "${manifest[@]}" --target wasm32-unknown-unknown --quiet 2>/dev/null; then
  cargo fetch "${manifest[@]}" --target wasm32-unknown-unknown
fi
# Every package at Cargo.lock's version (the two crates aside).
packages() { awk '/^name = / { n = $3 } /^version = / { print n, $3 }' "$1" | sort; }
changed=$(comm -23 <(packages "$work/Cargo.lock") <(packages Cargo.lock) | grep -v '^"\(sqlparser\|engine\)-only" ' || true)
if [ -n "$changed" ]; then
  echo "not at Cargo.lock's version: $changed" >&2
  exit 1
fi

rows=()
for name in sqlparser-only engine-only; do
  echo "Building $name..." >&2
  CARGO_TARGET_DIR=$target cargo build --offline "${manifest[@]}" --target wasm32-unknown-unknown \
    --profile web -p "$name"
  out=$target/out/$name
  rm -rf "$out"
  mkdir -p "$out"
  wasm-bindgen --target=web --out-dir="$out" --out-name="$name" --no-typescript \
    "$target/wasm32-unknown-unknown/web/${name//-/_}.wasm"
  "$wasm_opt" --output="$out/${name}_bg.opt.wasm" "-O$opt_level" "$out/${name}_bg.wasm" "${opt_params[@]}"
  mv "$out/${name}_bg.opt.wasm" "$out/${name}_bg.wasm"
  rows+=("$name" "$out/${name}_bg.wasm")
done

shopt -s nullglob
app=(dist/*.wasm)
echo
printf '%-24s %12s %12s\n' crate wasm gzip-9
for ((i = 0; i < ${#rows[@]}; i += 2)); do
  f=${rows[i + 1]}
  printf '%-24s %12d %12d\n' "${rows[i]}" "$(stat -c %s "$f")" "$(gzip -9 -c "$f" | wc -c)"
done
if [ ${#app[@]} -gt 0 ]; then
  printf '%-24s %12d %12d\n' "app (dist/)" "$(stat -c %s "${app[0]}")" "$(gzip -9 -c "${app[0]}" | wc -c)"
else
  printf '%-24s %12s %12s  %s\n' "app (dist/)" - - "not built: scripts/bundle-size.sh --build"
fi
printf '%-24s %12s %12d\n' "budget (whole page)" "" "$budget"
