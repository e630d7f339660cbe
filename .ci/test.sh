#!/usr/bin/env bash
# `make test`: every check and test, debug build only. Fails (never skips) when a component
# is missing: it installs or starts it instead.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { echo; echo "==> $* ($(( $(date +%s) - start )) s)"; }

step "tools"
.ci/install.sh test

step "format"
cargo fmt --all --check

step "clippy (ssr)"
cargo clippy --workspace --all-targets -- -D warnings
step "clippy (hydrate, wasm32)"
cargo clippy -p app --lib --no-default-features --features hydrate \
  --target wasm32-unknown-unknown --target-dir target/front -- -D warnings

step "build (debug)"
.ci/build.sh debug

step "PostgreSQL"
STRATA_TEST_DATABASE_URL=$(.ci/postgres.sh)
export STRATA_TEST_DATABASE_URL

step "unit, store contract and HTTP tests (SQLite and PostgreSQL), in parallel"
# cargo-nextest runs every test in its own process, in parallel; the profile (.ci/nextest.toml)
# sets the per-test timeout. Tests also pass under plain `cargo test`.
cargo nextest run --workspace --config-file .ci/nextest.toml --profile ci

step "audit chain: export, verify with README's script, edits named"
.ci/audit_chain.sh debug

step "end-to-end (Chromium, hydrated and without JavaScript)"
.ci/e2e.sh debug

step "all tests passed in $(( $(date +%s) - start )) s"
