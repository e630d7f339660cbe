#!/usr/bin/env bash
# Installs what the build (and, with `test`, the test suite) needs, only when missing.
#   .ci/install.sh        → wasm32 target, wasm-bindgen-cli (exactly the pinned version)
#   .ci/install.sh test   → also cargo-nextest, Chromium, Node.js/npm and end2end's npm packages
set -euo pipefail
cd "$(dirname "$0")/.."
WASM_BINDGEN_VERSION=0.2.130   # must equal the wasm-bindgen pin in Cargo.toml

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
apt_install() {
  [ -n "$apt_updated" ] || { as_root apt-get update -qq; apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
}

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  echo "==> adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(wasm-bindgen --version 2>/dev/null || true)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  echo "==> installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 3 minutes, once)"
  # No --locked: its lockfile asks for crate versions the registry here does not have.
  cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" --force
fi

[ "${1:-}" = test ] || exit 0

NEXTEST_VERSION=0.9.143
if [ "$(cargo nextest --version 2>/dev/null | head -n 1 | cut -d' ' -f2)" != "$NEXTEST_VERSION" ]; then
  echo "==> installing cargo-nextest $NEXTEST_VERSION (a few minutes, once)"
  # --locked first (the tool's own tested lockfile); without it when the registry here lacks a
  # version that lockfile pins.
  cargo install cargo-nextest --version "=$NEXTEST_VERSION" --locked --force \
    || cargo install cargo-nextest --version "=$NEXTEST_VERSION" --force
fi

for tool in curl python3; do
  command -v "$tool" >/dev/null 2>&1 || apt_install "$tool"
done
if [ ! -x /usr/bin/chromium ]; then
  echo "==> installing Chromium (Debian package)"
  apt_install chromium
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "==> installing Node.js and npm (Debian packages)"
  apt_install nodejs npm
fi
node_major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$node_major" -lt 20 ]; then
  echo "warning: Node.js $node_major found; Playwright 1.65 supports Node.js 20 or newer" >&2
fi
stamp=end2end/node_modules/.strata-installed
if [ ! -f "$stamp" ] || [ end2end/package-lock.json -nt "$stamp" ]; then
  echo "==> npm ci in end2end/ (Playwright uses the system Chromium; no browser download)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  touch "$stamp"
fi
