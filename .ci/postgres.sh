#!/usr/bin/env bash
# Prints a PostgreSQL URL for the tests, making one available if needed:
# STRATA_TEST_DATABASE_URL when set; otherwise the local cluster (started when stopped,
# installed from Debian when absent) with a `strata_test` role that logs in with a password
# over TCP, so nothing relies on trust authentication. The password is random (never a
# well-known one left on the machine) and kept with the URL, readable by this user only, in
# ~/.local/state/strata/postgres-test-url; it is set anew only when it no longer logs in.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "${STRATA_TEST_DATABASE_URL:-}" ]; then
  echo "$STRATA_TEST_DATABASE_URL"
  exit 0
fi
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
log() { echo "$@" >&2; }

# pg_lsclusters alone (postgresql-common) can outlive the server package: look for a server.
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || ! command -v pg_lsclusters >/dev/null 2>&1; then
  log "==> installing PostgreSQL (Debian package)"
  as_root apt-get update -qq >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >&2
fi
cluster=$(pg_lsclusters --no-header | head -n 1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  log "==> creating PostgreSQL cluster $version/main"
  as_root pg_createcluster "$version" main >&2
  cluster=$(pg_lsclusters --no-header | head -n 1)
fi
read -r version name port status _ <<<"$cluster"
if [ "$status" != online ]; then
  log "==> starting PostgreSQL $version/$name"
  as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >&2
fi
ready=""
for _ in $(seq 1 30); do
  if pg_isready -q -h 127.0.0.1 -p "$port"; then ready=1; break; fi
  sleep 1
done
if [ -z "$ready" ]; then
  log "PostgreSQL $version/$name does not accept TCP connections on 127.0.0.1:$port after 30 s;"
  log "see /var/log/postgresql/postgresql-$version-$name.log"
  exit 1
fi
# One file per user, shared by every checkout and run, so that runs at once (a bench during a
# test run, two checkouts) never change the password under each other; the lock makes the
# check and the change one step.
state_dir="${XDG_STATE_HOME:-$HOME/.local/state}/strata"
mkdir -p "$state_dir"
chmod 700 "$state_dir"
url_file="$state_dir/postgres-test-url"
exec 9>"$state_dir/postgres-test-url.lock"
flock 9
password=$(sed -n 's|^postgres://strata_test:\([0-9a-f]\{64\}\)@.*|\1|p' "$url_file" 2>/dev/null || true)
url="postgres://strata_test:$password@127.0.0.1:$port/postgres"
if [ -n "$password" ]; then
  if failure=$(PGPASSWORD="$password" psql -q -h 127.0.0.1 -p "$port" -U strata_test \
      -d postgres -tAc 'select 1' 2>&1 >/dev/null); then
    echo "$url"
    exit 0
  fi
  case "$failure" in
    # Only a refused password or a missing role is cause to set the password anew.
    *"password authentication failed"*|*"does not exist"*) ;;
    *) log "could not check the test role's login ($failure); keeping its password"
       echo "$url"
       exit 0 ;;
  esac
fi
# Hex digits only: the password goes into a URL and an SQL literal unquoted.
password=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
# The postgres account reaches its server over the local socket (peer authentication). The
# password travels on stdin, never on a command line that `ps` shows.
as_root runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 >&2 <<SQL
do \$\$
begin
  if not exists (select from pg_roles where rolname = 'strata_test') then
    create role strata_test login createdb password '$password';
  else
    alter role strata_test login createdb password '$password';
  end if;
end \$\$;
SQL
url="postgres://strata_test:$password@127.0.0.1:$port/postgres"
# Written whole, readable by this user only (mktemp makes it 0600), then put in place.
tmp=$(mktemp "$state_dir/.postgres-test-url.XXXXXX")
printf '%s\n' "$url" > "$tmp"
mv -f "$tmp" "$url_file"
echo "$url"
