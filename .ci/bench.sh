#!/usr/bin/env bash
# `make bench`: a release build, then `strata bench` on SQLite and PostgreSQL (the same
# PostgreSQL the tests use). Extra arguments go to `strata bench`, e.g.
#   make bench BENCH_ARGS="--workloads 500,5000,20000"
set -euo pipefail
cd "$(dirname "$0")/.."
.ci/install.sh test      # npm binaryen's wasm-opt for the release bundle
.ci/build.sh release
url=$(.ci/postgres.sh)
STRATA_SITE_ROOT=target/release-site exec target/release/strata bench --postgres "$url" "$@"
