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

step "unit, store contract and HTTP tests (SQLite and PostgreSQL)"
# One test at a time: each HTTP test starts a Leptos server on its own tokio runtime, and two of
# them rendering at once in one process stalled a request twice in about 25 runs (cause not yet
# found; a standalone server under 6 parallel clients never stalled). One at a time: 0 in 15.
cargo test --workspace -- --test-threads=1

step "end-to-end (Chromium, hydrated and without JavaScript)"
.ci/e2e.sh debug

step "all tests passed in $(( $(date +%s) - start )) s"
