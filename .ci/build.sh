#!/usr/bin/env bash
# Builds the browser bundle and the server without cargo-leptos (toolchain §13).
#   .ci/build.sh debug    → target/site + target/debug/strata
#   .ci/build.sh release  → target/release-site (wasm-opt from npm binaryen) + target/release/strata
set -euo pipefail
cd "$(dirname "$0")/.."
mode="${1:-debug}"
case "$mode" in
  debug)   wasm_profile=debug;        site=target/site;         server_flags=() ;;
  release) wasm_profile=wasm-release; site=target/release-site; server_flags=(--release) ;;
  *) echo "usage: $0 [debug|release]" >&2; exit 2 ;;
esac
profile_flag=()
[ "$mode" = release ] && profile_flag=(--profile wasm-release)

echo "==> wasm ($mode)"
cargo build --target wasm32-unknown-unknown -p app --lib --no-default-features --features hydrate \
  --target-dir target/front "${profile_flag[@]}"
# Everything is made in a staging folder and then renamed into pkg/ file by file, so that a
# running server never reads a half-written file (server/src/assets.rs serves pkg/ as is).
stage="$site/pkg.new"
rm -rf "$stage"
mkdir -p "$stage" "$site/pkg"
wasm-bindgen --target web --no-typescript --out-dir "$stage" --out-name strata \
  "target/front/wasm32-unknown-unknown/$wasm_profile/app.wasm"
# LEPTOS_OUTPUT_NAME is set at compile time, so the page asks for strata.wasm (toolchain §6).
mv "$stage/strata_bg.wasm" "$stage/strata.wasm"
if [ "$mode" = release ]; then
  wasm_opt=end2end/node_modules/.bin/wasm-opt
  [ -x "$wasm_opt" ] || { echo "wasm-opt from npm binaryen is missing: run .ci/install.sh test" >&2; exit 1; }
  # Debian's wasm-opt (binaryen 108) silently breaks the bundle; only npm's 132 is used.
  "$wasm_opt" -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    "$stage/strata.wasm" -o "$stage/strata.opt.wasm"
  mv "$stage/strata.opt.wasm" "$stage/strata.wasm"
fi
cp style/main.css "$stage/strata.css"
# Compressed once here, served by server/src/assets.rs to clients that accept it (compressing
# the wasm per download took seconds). Release: brotli at its best (Node's zlib, installed with
# the release tools) and gzip -9; debug: gzip -6, which keeps the build quick.
bundle=("$stage/strata.wasm" "$stage/strata.js" "$stage/strata.css")
if [ "$mode" = release ]; then
  gzip -k -f -9 "${bundle[@]}"
  node -e '
    const zlib = require("zlib"), fs = require("fs");
    for (const f of process.argv.slice(1)) {
      const data = fs.readFileSync(f);
      fs.writeFileSync(f + ".br", zlib.brotliCompressSync(data, { params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: data.length } }));
    }' "${bundle[@]}"
else
  gzip -k -f -6 "${bundle[@]}"
fi
# A compressed copy this build did not make must not stay beside the new files.
for old in "$site"/pkg/*.br "$site"/pkg/*.gz; do
  if [ -e "$old" ] && [ ! -e "$stage/$(basename "$old")" ]; then rm -f "$old"; fi
done
for f in "$stage"/*; do mv -f "$f" "$site/pkg/"; done
rmdir "$stage"
cp -r public/. "$site/"

echo "==> server ($mode)"
cargo build -p server --bin strata "${server_flags[@]}"
