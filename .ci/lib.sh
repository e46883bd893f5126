# Shared by the project's scripts: installs what the portal needs, each piece only when it is
# missing, so a fresh machine gets everything and a warm one loses no time.
# Sourced, not run: `. .ci/lib.sh` from the repository root.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

CARGO_LEPTOS_VERSION=0.3.10
WASM_BINDGEN_VERSION=0.2.130  # must equal the `wasm-bindgen` crate pinned in Cargo.toml
BUILD_PBF_GLYPHS_VERSION=1.5.1  # the glyphs of the map's place names (ensure_glyphs)

# Build artefacts live outside the clone, so a new clone (CI) reuses earlier builds; it is
# only a cache: an empty one works, just slower.
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/medecins-territoires/target}
# No incremental state in that cache: it only speeds up small edits, which scripts do not make,
# and it grew by some 18 GB a day until the disk was full (a failed run then loses the session).
export CARGO_INCREMENTAL=0
export PATH="$HOME/.cargo/bin:$ROOT/.ci/tools/node_modules/.bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian packages, installed together and only when one is missing.
ensure_debian_packages() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return
  step "apt-get install ${missing[*]}"
  # Two apt-get at once break each other here: wait for the lock instead.
  as_root apt-get -o DPkg::Lock::Timeout=600 update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq "${missing[@]}"
}

ensure_rust_tools() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || {
    step "rustup target add wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  }
  if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
    step "cargo install cargo-leptos $CARGO_LEPTOS_VERSION (about 30 minutes, once)"
    # Its own target dir: the project's cache must not hold a copy of cargo-leptos' build.
    CARGO_TARGET_DIR=$(mktemp -d) cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked
  fi
  if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
    step "cargo install wasm-bindgen-cli $WASM_BINDGEN_VERSION (about 7 minutes, once)"
    # Without --locked: its lock file names a crate version the registry no longer has.
    CARGO_TARGET_DIR=$(mktemp -d) cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force
  fi
}

# npm packages of a folder, from its lock file, when node_modules is older than the lock.
ensure_npm() {
  local dir=$1
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules" ]; then
    step "npm ci ($dir)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error && touch node_modules)
  fi
}

# wasm-opt from npm's binaryen: Debian's older binaryen builds bundles that fail to hydrate.
ensure_wasm_opt() {
  ensure_npm "$ROOT/.ci/tools"
  wasm-opt --version >/dev/null
}

# MapLibre GL JS, pinned in .ci/tools/package.json, served from our own origin: its classic
# build (one script, the worker inlined) and stylesheet are copied into public/vendor, which
# cargo-leptos copies into the site. Not committed: the npm lock file is the source.
ensure_maplibre() {
  ensure_npm "$ROOT/.ci/tools"
  local from="$ROOT/.ci/tools/node_modules/maplibre-gl/dist" to="$ROOT/public/vendor/maplibre-gl"
  mkdir -p "$to"
  for file in maplibre-gl.js maplibre-gl.css LICENSE.txt; do
    cmp -s "$from/$file" "$to/$file" || cp "$from/$file" "$to/$file"
  done
  ensure_glyphs
}

# The glyphs MapLibre draws place names with (signed distance fields in protobuf, by ranges
# of 256 characters), built from Open Sans (Debian's fonts-open-sans, Apache 2.0) by Stadia
# Maps' build_pbf_glyphs into public/vendor/glyphes/<font>/<range>.pbf, which cargo-leptos
# copies into the site. Built again only when a font or the tool's version changes.
ensure_glyphs() {
  ensure_debian_packages fonts-open-sans
  if ! build_pbf_glyphs --version 2>/dev/null | grep -q "$BUILD_PBF_GLYPHS_VERSION"; then
    step "cargo install build_pbf_glyphs $BUILD_PBF_GLYPHS_VERSION (about 3 minutes, once)"
    CARGO_TARGET_DIR=$(mktemp -d) cargo install build_pbf_glyphs --version "$BUILD_PBF_GLYPHS_VERSION" --locked
  fi
  local fonts=/usr/share/fonts/truetype/open-sans to="$ROOT/public/vendor/glyphes"
  local stamp
  stamp="$BUILD_PBF_GLYPHS_VERSION $(sha256sum "$fonts/OpenSans-Regular.ttf" "$fonts/OpenSans-Semibold.ttf" | cut -c1-64 | tr '\n' ' ')"
  [ -f "$to/stamp" ] && [ "$(cat "$to/stamp")" = "$stamp" ] && return
  step "build_pbf_glyphs: Open Sans (regular, semibold)"
  rm -rf "$to" && mkdir -p "$to"
  local font name work
  for font in Regular Semibold; do
    name=open-sans-$(echo "$font" | tr '[:upper:]' '[:lower:]')
    work=$(mktemp -d)
    mkdir "$work/in" "$work/out"
    cp "$fonts/OpenSans-$font.ttf" "$work/in/"
    build_pbf_glyphs "$work/in" "$work/out" >/dev/null
    # The tool names the folder after the font's own name ("Open Sans Regular"): ours has no
    # spaces, so that the address needs no escaping.
    mv "$work/out"/*/ "$to/$name"
    rm -rf "$work"
  done
  echo "$stamp" > "$to/stamp"
}

# Schemathesis (PyPI), pinned in .ci/tools/requirements.txt, in a virtual environment kept
# beside the build cache (a new clone reuses it), made again when the requirements change.
ensure_schemathesis() {
  local venv="$HOME/.cache/medecins-territoires/venv" requirements="$ROOT/.ci/tools/requirements.txt"
  if [ ! -x "$venv/bin/schemathesis" ] || ! cmp -s "$requirements" "$venv/requirements.txt"; then
    step "pip install -r .ci/tools/requirements.txt"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
  fi
  export PATH="$venv/bin:$PATH"
}

ensure_postgres() {
  pg_isready -q -h 127.0.0.1 -p 5432 && return
  step "starting PostgreSQL"
  as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
  pg_isready -h 127.0.0.1 -p 5432 -t 30
}

# Waits until `url` answers, or fails after `seconds`.
wait_for() {
  local url=$1 seconds=${2:-60}
  for _ in $(seq "$seconds"); do
    curl -fsS -o /dev/null "$url" 2>/dev/null && return 0
    sleep 1
  done
  echo "no answer from $url after ${seconds}s" >&2
  return 1
}

# What the calling script does when it exits, whatever happens: each action added runs, in
# the order added. The script's own exit status is kept: without the explicit `exit`, bash
# would exit with the status of the trap's last command (a `wait` on a killed server is 137,
# an `rm` is 0, which would turn a failed run green).
EXIT_ACTIONS=()
run_exit_actions() {
  local status=$? action
  for action in "${EXIT_ACTIONS[@]}"; do eval "$action" || true; done
  exit "$status"
}
on_exit() {
  EXIT_ACTIONS+=("$1")
  trap run_exit_actions EXIT
}

# The Meilisearch server the project is given (../shared/tools/meilisearch beside the clone,
# see the README), or MEILISEARCH_BIN. Missing, it is an error: Meilisearch is never skipped.
find_meilisearch() {
  local candidate
  for candidate in "${MEILISEARCH_BIN:-}" "$ROOT/../shared/tools/meilisearch/meilisearch" \
    /work/shared/tools/meilisearch/meilisearch; do
    if [ -n "$candidate" ] && [ -x "$candidate" ]; then
      export MEILISEARCH_BIN=$candidate
      return 0
    fi
  done
  echo "Meilisearch introuvable : ni \$MEILISEARCH_BIN ni ../shared/tools/meilisearch/meilisearch" >&2
  return 1
}

# A free TCP port on the loopback.
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Starts a real Meilisearch: a throw-away database, a random master key, a free loopback port;
# stopped when the calling script exits, whatever happens. Sets MEILI_URL, MEILI_MASTER_KEY
# (not exported: each step passes them on where it means to).
start_meilisearch() {
  find_meilisearch
  local dir port
  dir=$(mktemp -d)
  port=$(free_port)
  MEILI_MASTER_KEY=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
  MEILI_URL="http://127.0.0.1:$port"
  "$MEILISEARCH_BIN" --db-path "$dir/data" --http-addr "127.0.0.1:$port" --master-key "$MEILI_MASTER_KEY" \
    --no-analytics --log-level WARN >"$dir/meilisearch.log" 2>&1 &
  local pid=$!
  on_exit "kill -9 $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf '$dir'"
  wait_for "$MEILI_URL/health" 30
  echo "Meilisearch $("$MEILISEARCH_BIN" --version 2>/dev/null | head -1) on $MEILI_URL"
}
