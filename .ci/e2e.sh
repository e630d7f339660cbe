#!/usr/bin/env bash
# Runs the Playwright suite against a freshly seeded server.
#   .ci/e2e.sh debug    → target/debug/strata with target/site
#   .ci/e2e.sh release  → target/release/strata with target/release-site
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-debug}"
case "$mode" in
  debug)   bin=target/debug/strata;   site=target/site ;;
  release) bin=target/release/strata; site=target/release-site ;;
  *) echo "usage: $0 [debug|release]" >&2; exit 2 ;;
esac
# Each project (hydrated, no-js) runs against a server of its own with a freshly seeded
# database: the runs do not see each other's records, and neither comes near the limit of
# sign-ins per client address (every test signs in from 127.0.0.1).
server=""
data=""
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
  if [ -n "$data" ]; then rm -rf "$data"; fi
  server=""; data=""
}
trap cleanup EXIT
run_project() {
  local project=$1 port log admin_password status=0
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  data=$(mktemp -d)
  log="$data/server.log"
  export STRATA_ADDR="127.0.0.1:$port" STRATA_DATA_DIR="$data" STRATA_SITE_ROOT="$site"
  unset STRATA_DATABASE_URL STRATA_PUBLIC_URL
  # Called in a condition, where `set -e` does not hold: every step checks its own status.
  "$bin" migrate >/dev/null || { cleanup; return 1; }
  "$bin" demo >/dev/null || { cleanup; return 1; }
  "$bin" serve >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 100); do
    curl -fs "http://127.0.0.1:$port/health" >/dev/null 2>&1 && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; echo "the server did not start" >&2; cleanup; return 1; }
    sleep 0.2
  done
  # The first start printed the administrator's one-time password; the browser suite signs in
  # with it (and, in the no-js run, resets it with the binary the way an operator would).
  admin_password=$(sed -n 's/^  password: \([^ ]*\).*/\1/p' "$log" | head -n 1)
  [ -n "$admin_password" ] || { cat "$log"; echo "the server printed no administrator password" >&2; cleanup; return 1; }
  export STRATA_E2E_ADMIN_PASSWORD="$admin_password" STRATA_E2E_BIN="$PWD/$bin"
  (cd end2end && BASE_URL="http://127.0.0.1:$port" npx playwright test --project="$project") || status=$?
  if [ "$status" != 0 ]; then echo "--- server log ($project) ---"; tail -n 50 "$log"; fi
  cleanup
  return "$status"
}
status=0
for project in hydrated no-js; do
  run_project "$project" || status=1
done
exit "$status"
