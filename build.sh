#!/usr/bin/env bash
# One entry point for building and testing. Installs what a fresh machine lacks.
#   ./build.sh          build dist/extension (Chrome, Edge), dist/firefox and the store zip
#   ./build.sh test     build, then run every test layer
#   ./build.sh release  from a clean tree: the Chrome/Edge zip, the Firefox .xpi, the source zip
#                       and SHA256SUMS in dist/
#   ./build.sh bench    build, then measure the guide's cost on the host page
set -euo pipefail
cd "$(dirname "$0")"

CRATE=reauth_guide
TARGET=wasm32-unknown-unknown
# The engine's stack (rustc's default is 1 MB, all of it in the wasm memory from the start). The
# whole roadmap reaches about 7 KB deep (the bench's memory row reports the deepest use):
# 256 KB leaves ample room and takes 768 KB off the guide's memory.
STACK_BYTES=262144
WASM_FEATURES=(--enable-bulk-memory --enable-bulk-memory-opt --enable-sign-ext
               --enable-nontrapping-float-to-int --enable-mutable-globals)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'build.sh: %s\n' "$*" >&2; exit 1; }

pinned_wasm_bindgen() {
  sed -n 's/^wasm-bindgen = "=\([0-9.]*\)".*/\1/p' Cargo.toml
}

need_apt() {  # need_apt PACKAGE... : installs Debian packages when running as root with apt
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Debian packages: $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null; then
      apt-get update -qq >/dev/null
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
    fi
  else
    return 1
  fi
}

ensure_build_tools() {
  command -v cargo >/dev/null || die "cargo not found: install rustup (https://rustup.rs; Debian 13+/Ubuntu 24.04+: apt install rustup, Fedora: dnf install rustup, macOS: brew install rustup), which installs the Rust that rust-toolchain.toml pins"
  case "$PWD" in *' '*) die "the source folder's path has a space ($PWD): RUSTFLAGS cannot hold it; move the folder" ;; esac
  command -v node >/dev/null || need_apt nodejs npm || die "node not found: install Node.js 20+ (Debian/Ubuntu: apt install nodejs npm; Fedora: dnf install nodejs npm; macOS: brew install node)"
  command -v python3 >/dev/null || need_apt python3 || die "python3 not found (Debian/Ubuntu: apt install python3; Fedora: dnf install python3; macOS: brew install python)"
  local pinned; pinned=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
  if command -v rustup >/dev/null; then
    if ! rustup target list --installed | grep -qx "$TARGET"; then
      say "adding the $TARGET target"
      rustup target add "$TARGET"
    fi
  else
    # A distribution's rustc: no rustup to read rust-toolchain.toml or add the wasm target.
    [ -d "$(rustc --print sysroot)/lib/rustlib/$TARGET" ] \
      || die "this Rust ($(rustc --version)) has no $TARGET standard library, and there is no rustup to add it. Install rustup (https://rustup.rs; it reads rust-toolchain.toml), or your distribution's wasm32 Rust library (Fedora: rust-std-static-wasm32-unknown-unknown; Debian/Ubuntu: none, use rustup; macOS: brew install rustup)."
    case "$(rustc --version)" in
      "rustc $pinned "*) ;;
      *) printf 'build.sh: warning: %s is not the pinned Rust %s (rust-toolchain.toml): the build works, but its bytes will differ from a release\n' "$(rustc --version)" "$pinned" >&2 ;;
    esac
  fi
  local want; want=$(pinned_wasm_bindgen)
  if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$want" ]; then
    say "installing wasm-bindgen-cli $want (takes a few minutes once)"
    # --locked can fail when the registry lacks one locked transitive version; then resolve afresh.
    cargo install wasm-bindgen-cli --version "$want" --locked \
      || cargo install wasm-bindgen-cli --version "$want"
  fi
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "installing npm tools from package-lock.json"
    npm ci --no-audit --no-fund
  fi
}

newer_than() {  # newer_than FILE PATH... : true when any PATH has a file newer than FILE
  [ -e "$1" ] || return 0
  local stamp=$1; shift
  [ -n "$(find "$@" -newer "$stamp" -print -quit 2>/dev/null)" ]
}

# The machine's paths in panic locations (registry crates, the toolchain's std, this folder)
# replaced by fixed ones, so that the wasm is the same wherever it is built. When several
# prefixes match, rustc applies the last one given.
remap_flags() {
  local cargo_home=${CARGO_HOME:-$HOME/.cargo} rustup_home=${RUSTUP_HOME:-$HOME/.rustup}
  printf -- '--remap-path-prefix=%s=/cargo --remap-path-prefix=%s=/rustup --remap-path-prefix=%s=/rust --remap-path-prefix=%s=/src' \
    "$cargo_home" "$rustup_home" "$(rustc --print sysroot)" "$PWD"
}

# compile_part FEATURE NAME: the crate built with one extension part's feature, copied to
# target/engine/NAME.wasm (left untouched when the bytes did not change).
compile_part() {
  local wasm=target/$TARGET/release/$CRATE.wasm
  # wasm2js cannot translate reference types or multi-value: the shipped engine stays MVP+.
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS="-C target-feature=-reference-types,-multivalue -C link-arg=-zstack-size=$STACK_BYTES $(remap_flags)" \
    cargo build --release --target "$TARGET" --lib --quiet --features "$1"
  mkdir -p target/engine
  cmp -s "$wasm" "target/engine/$2.wasm" || cp "$wasm" "target/engine/$2.wasm"
}

# minify_js FILE [--module]: minifies a script, or an ES module, in place (terser). The names the
# glue hands over are kept: the wasm imports its functions by name, and loader.js calls
# `__wbg_set_wasm` and `run` (a module's exports, the classic glue's returned object).
minify_js() {
  node_modules/.bin/terser "$1" ${2:-} --ecma 2020 --compress passes=2 --mangle -o "$1.min"
  mv "$1.min" "$1"
}

# bind_part NAME: wasm-bindgen glue and size-optimised wasm for target/engine/NAME.wasm, in
# target/engine/NAME/ (NAME_bg.js, NAME_bg.wasm).
bind_part() {
  local name=$1 out=target/engine/$1 bin=node_modules/.bin
  if ! newer_than "$out/.stamp" "target/engine/$name.wasm" \
    tools/short-names.mjs tools/content-engine.mjs build.sh; then
    return 1
  fi
  rm -rf "$out" && mkdir -p "$out"
  # The precompiled std still advertises reference-types in its target_features section, which
  # makes wasm-bindgen emit an externref table that wasm2js cannot translate ("modules with
  # multiple tables are not supported"): binaryen drops the section (-g keeps the names).
  "$bin/wasm-opt" -g --strip-target-features "${WASM_FEATURES[@]}" "target/engine/$name.wasm" -o "$out/$name.wasm"
  wasm-bindgen --target bundler --out-dir "$out/bindgen" "$out/$name.wasm"
  # --converge repeats -Oz until it stops shrinking; the producers section names the toolchain only.
  "$bin/wasm-opt" -Oz --converge --strip-producers "${WASM_FEATURES[@]}" "$out/bindgen/${name}_bg.wasm" \
    -o "$out/${name}_bg.wasm"
  # wasm2js grows memory by swapping in a new ArrayBuffer without detaching the old one, so the
  # glue's cached views must be compared by buffer: not refreshed only when empty (byte view) or
  # detached (data view).
  local glue="$out/${name}_bg.js"
  cp "$out/bindgen/${name}_bg.js" "$glue"
  local bytes_check='cachedUint8ArrayMemory0.byteLength === 0'
  local data_check='cachedDataViewMemory0.buffer.detached === true || (cachedDataViewMemory0.buffer.detached === undefined \&\& cachedDataViewMemory0.buffer !== wasm.memory.buffer)'
  grep -qF "$bytes_check" "$glue" && grep -qF "${data_check//\\/}" "$glue" \
    || die "wasm-bindgen glue changed: the memory-view patch no longer applies"
  # No `sed -i`: BSD sed (macOS) takes it differently.
  sed -e "s/$bytes_check/cachedUint8ArrayMemory0.buffer !== wasm.memory.buffer/" \
    -e "s/${data_check//./\\.}/cachedDataViewMemory0.buffer !== wasm.memory.buffer/" "$glue" >"$glue.patched"
  mv "$glue.patched" "$glue"
  grep -q 'cachedDataViewMemory0.buffer.detached' "$glue" && die "the data-view patch did not apply"
  # The names the wasm and its glue share (hashed import names and the like) made short, in both.
  node tools/short-names.mjs "$out/${name}_bg.wasm" "$glue" >/dev/null
  touch "$out/.stamp"
}

build_engine() {
  say "compiling the Rust crate to WebAssembly (content script, popup)"
  compile_part guide "$CRATE"
  compile_part popup popup
  local bin=node_modules/.bin out=target/engine/$CRATE
  if bind_part "$CRATE"; then
    say "translating the content script to JavaScript"
    # wasm2js cannot lower the saturating float-to-int casts that Rust emits: lower them first.
    "$bin/wasm-opt" -Oz "${WASM_FEATURES[@]}" --llvm-nontrapping-fptoint-lowering \
      "$out/${CRATE}_bg.wasm" -o "$out/${CRATE}_for_js.wasm"
    "$bin/wasm2js" -O2 "${WASM_FEATURES[@]}" "$out/${CRATE}_for_js.wasm" -o "$out/${CRATE}_js_module.js"
    # The glue as a classic content script, the JS engine as a module bound to that glue.
    node tools/content-engine.mjs glue "$out/${CRATE}_bg.js" "$out/${CRATE}_glue.js"
    minify_js "$out/${CRATE}_glue.js"
    node tools/content-engine.mjs wasm2js "$out/${CRATE}_js_module.js" "$out/${CRATE}_js.js"
    # Every page that refuses WebAssembly parses the translation before its first highlight:
    # whitespace out and names short (1.2 MB → 0.45 MB). No compress pass: binaryen already
    # optimised the code, and terser's would take minutes over it.
    "$bin/terser" "$out/${CRATE}_js.js" --module --ecma 2020 --mangle -o "$out/${CRATE}_js.js.min"
    mv "$out/${CRATE}_js.js.min" "$out/${CRATE}_js.js"
  fi
  if bind_part popup; then
    minify_js target/engine/popup/popup_bg.js --module
  fi
}

assemble() {
  local dist=dist/extension
  say "assembling $dist"
  rm -rf "$dist" && mkdir -p "$dist/engine" "$dist/popup"
  cp manifest.json "$dist/"
  # Unpacked loads get a fixed public key, so their id (and with it the stored progress) is the
  # same from any folder. Only here: the stores refuse a manifest with a key (store_copy).
  edit_manifest "$dist/manifest.json" "m.key = fs.readFileSync('tools/unpacked-key.b64', 'utf8').trim()"
  cp -r extension/. "$dist/"
  minify_js "$dist/loader.js"
  # engine/ is web-accessible (the content script loads it); the popup's engine is not.
  local engine=target/engine/$CRATE
  cp "$engine/${CRATE}_bg.wasm" "$engine/${CRATE}_glue.js" "$engine/${CRATE}_js.js" "$dist/engine/"
  cp target/engine/popup/popup_bg.js target/engine/popup/popup_bg.wasm "$dist/popup/"
  node tools/third-party-notices.mjs "$dist/THIRD-PARTY-NOTICES.txt"
  # Firefox runs background scripts and ignores (with a lint warning) a service worker; Chrome
  # runs the service worker and warns about scripts. dist/extension loads in both; dist/firefox
  # is Firefox's own form, which the lint, the .xpi and the zip below are made of.
  rm -rf dist/firefox && cp -r "$dist" dist/firefox
  edit_manifest dist/firefox/manifest.json 'delete m.background.service_worker'
  local zip; zip=dist/$(package_name).zip
  rm -f "$zip"
  store_copy dist/.store dist/firefox
  python3 tools/zip.py "$zip" dist/.store
  rm -rf dist/.store
  say "built $dist (Chrome, Edge), dist/firefox and $zip"
}

# edit_manifest FILE JS: runs JS on the manifest `m` (with `fs`), and writes it back.
edit_manifest() {
  node -e '
    const fs = require("fs"), file = process.argv[1];
    const m = JSON.parse(fs.readFileSync(file, "utf8"));
    eval(process.argv[2]);
    fs.writeFileSync(file, JSON.stringify(m, null, 2) + "\n");' "$1" "$2"
}

# store_copy DIR [FROM]: FROM (dist/extension) as the stores take it, without the unpacked-only key.
store_copy() {
  rm -rf "$1" && mkdir -p "$1" && cp -r "${2:-dist/extension}/." "$1/"
  edit_manifest "$1/manifest.json" 'delete m.key'
}

# o365-reauth-guide-VERSION, the version from manifest.json.
package_name() {
  printf 'o365-reauth-guide-%s' "$(node -p "require('./manifest.json').version")"
}

# source_review FILE: how a reviewer rebuilds the package from the source zip, with the tool
# versions and platform of this build.
source_review() {
  local name platform
  name=$(package_name)
  platform="$( (. /etc/os-release 2>/dev/null && echo "$PRETTY_NAME") || uname -s), $(uname -m)"
  cat >"$1" <<EOF
# Rebuilding $name from this source

This archive is \`git archive\` of commit \`$(git rev-parse HEAD)\` of the extension's
repository, plus this file. The packages were built from it by \`./build.sh release\`;
\`./build.sh\` alone builds the same \`dist/extension\`, byte for byte, in any folder (the
reproducibility test of \`./build.sh test\` checks that two builds in different folders agree).

## Commands

On Debian 12 (bookworm) or Ubuntu:

    apt-get install -y nodejs npm python3 build-essential
    # and rustup (https://rustup.rs); no default toolchain is needed
    ./build.sh

rustup reads \`rust-toolchain.toml\` and installs Rust $(rustc --version | awk '{print $2}') with the
wasm32-unknown-unknown target; \`./build.sh\` installs wasm-bindgen-cli at the version
\`Cargo.toml\` pins (\`cargo install --locked\`) and the npm tools exactly as
\`package-lock.json\` locks them (\`npm ci\`), then builds \`dist/extension\` and
\`dist/$name.zip\`.

Then compare with the uploaded package:

    cmp $name.xpi dist/$name.zip && echo identical

\`./build.sh\` writes \`dist/$name.zip\`, byte for byte the Firefox package
\`$name.xpi\`. \`dist/firefox\` holds the same files, except that its \`manifest.json\`
also has a \`key\` (a fixed extension id for unpacked loads). The Chrome/Edge package
\`$name-chrome.zip\` holds the same files as the \`.xpi\` except that its \`manifest.json\`
has no \`browser_specific_settings\` (Firefox's key) and a background service worker where
Firefox has a background script.

## What is generated, and by what

- \`engine/reauth_guide_bg.wasm\`, \`popup/popup_bg.wasm\`: \`src/\` compiled by rustc
  (\`cargo build --release --target wasm32-unknown-unknown --features guide\` or \`popup\`),
  bound by wasm-bindgen-cli, optimised by binaryen's \`wasm-opt -Oz\`.
- \`engine/reauth_guide_js.js\`: the same wasm translated to JavaScript by binaryen's
  \`wasm2js\`, for pages whose Content-Security-Policy forbids WebAssembly; its whitespace and
  names shortened by terser.
- \`engine/reauth_guide_glue.js\`, \`popup/popup_bg.js\`, \`loader.js\`: wasm-bindgen's glue
  and \`extension/loader.js\`, minified by terser (\`minify_js\` in \`build.sh\`).
- \`_locales/*/messages.json\`: written by \`tools/messages.py\` (committed).
- \`THIRD-PARTY-NOTICES.txt\`: \`tools/third-party-notices.mjs\`.
- The zips: \`tools/zip.py\` (sorted entries, fixed time stamps).

## Versions and platform of this build

- platform: $platform
- rustc: $(rustc --version)
- cargo: $(cargo --version)
- wasm-bindgen-cli: $(wasm-bindgen --version)
- binaryen (npm, wasm-opt and wasm2js): $(node -p "require('./node_modules/binaryen/package.json').version")
- terser (npm): $(node -p "require('./node_modules/terser/package.json').version")
- node: $(node --version), npm: $(npm --version)
- python3: $(python3 --version | awk '{print $2}')
EOF
}

# ./build.sh release: the packages to publish, from a clean tree only (so that they match a commit).
release() {
  command -v git >/dev/null && git rev-parse --git-dir >/dev/null 2>&1 \
    || die "release needs a git checkout (the source zip is git archive of HEAD)"
  local dirty; dirty=$(git status --porcelain --untracked-files=normal)
  if [ -n "$dirty" ]; then
    printf '%s\n' "$dirty" >&2
    die "release needs a clean tree, so that the packages match commit $(git rev-parse --short HEAD): commit or stash the changes above first"
  fi
  build
  local name; name=$(package_name)
  say "writing the release packages of $name"
  rm -rf dist/release-tmp && mkdir -p dist/release-tmp/source
  # Firefox: dist/firefox less the unpacked-only key. Chrome/Edge: dist/extension less the key,
  # Firefox's browser_specific_settings and background.scripts (Chrome warns about both).
  store_copy dist/release-tmp/firefox dist/firefox
  store_copy dist/release-tmp/chrome
  edit_manifest dist/release-tmp/chrome/manifest.json 'delete m.browser_specific_settings; delete m.background.scripts'
  rm -f dist/"$name"-chrome.zip dist/"$name".xpi dist/"$name"-source.zip dist/SHA256SUMS
  python3 tools/zip.py "dist/$name-chrome.zip" dist/release-tmp/chrome
  python3 tools/zip.py "dist/$name.xpi" dist/release-tmp/firefox
  git archive --format=tar HEAD | tar -x -C dist/release-tmp/source
  source_review dist/release-tmp/source/SOURCE-REVIEW.md
  python3 tools/zip.py "dist/$name-source.zip" dist/release-tmp/source
  rm -rf dist/release-tmp
  local sum=sha256sum; command -v sha256sum >/dev/null || sum="shasum -a 256"  # macOS
  (cd dist && $sum "$name-chrome.zip" "$name.xpi" "$name-source.zip" >SHA256SUMS)
  say "released: dist/$name-chrome.zip (Chrome, Edge), dist/$name.xpi (Firefox), dist/$name-source.zip, dist/SHA256SUMS"
}

build() {
  ensure_build_tools
  build_engine
  assemble
}

ensure_browser() {
  # CHROMIUM, CHROMEDRIVER and FIREFOX are honoured as given; Debian's packages are installed
  # only when one of them is neither given nor found.
  export CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || echo /usr/bin/chromium)}
  export CHROMEDRIVER=${CHROMEDRIVER:-$(command -v chromedriver || echo /usr/bin/chromedriver)}
  export FIREFOX=${FIREFOX:-$(command -v firefox-esr || command -v firefox || echo /usr/bin/firefox-esr)}
  if [ ! -x "$CHROMIUM" ] || [ ! -x "$CHROMEDRIVER" ] || [ ! -x "$FIREFOX" ]; then
    need_apt chromium chromium-driver firefox-esr && export CHROMIUM=/usr/bin/chromium \
      CHROMEDRIVER=/usr/bin/chromedriver FIREFOX=/usr/bin/firefox-esr \
      || die "a browser for the tests is missing (CHROMIUM=$CHROMIUM, CHROMEDRIVER=$CHROMEDRIVER, FIREFOX=$FIREFOX): Debian/Ubuntu: apt install chromium chromium-driver firefox-esr; Fedora: dnf install chromium chromedriver firefox; macOS: brew install --cask chromium chromedriver firefox, then set CHROMIUM, CHROMEDRIVER and FIREFOX to their executables"
  fi
}

run_tests() {
  ensure_browser
  say "pure logic: cargo test (native)"
  cargo test --quiet
  say "DOM code: wasm-bindgen-test in headless Chromium"
  cargo test --target "$TARGET" --features guide --test browser
  say "dependencies: licences and advisories"
  node tools/check-licenses.mjs
  say "extension lint: web-ext lint, warnings as errors"
  node_modules/.bin/web-ext lint --source-dir dist/firefox --self-hosted --output text --warnings-as-errors
  say "icons: the PNGs match their SVG masters"
  python3 tools/make-icons.py --check
  if [ "${SKIP_REPRO:-}" = 1 ]; then
    say "reproducible build: SKIPPED (SKIP_REPRO=1; for quick local runs only)"
  else
    say "reproducible build: two clean builds in other folders give the same bytes (a few minutes)"
    node --test tests/repro/
  fi
  say "end to end: the built extension in Chromium"
  node --test --test-concurrency=1 tests/e2e/
}

case "${1:-build}" in
  build) build ;;
  test) build; run_tests ;;
  release) release ;;
  bench) build; ensure_browser; node tests/bench/run.mjs ;;
  *) die "unknown command '$1' (use: ./build.sh, ./build.sh test, ./build.sh release, ./build.sh bench)" ;;
esac
