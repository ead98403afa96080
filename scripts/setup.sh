#!/usr/bin/env bash
# Installs every Debian package Weft's build and tests need. Idempotent: skips what is present.
set -euo pipefail

PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  nlohmann-json3-dev libvalijson-dev libsqlite3-dev libsodium-dev
  libcurl4-openssl-dev libspdlog-dev libfmt-dev libcli11-dev libcpp-httplib-dev
  libgtest-dev libgmock-dev libbenchmark-dev sqlite3 curl jq libcctz-dev tzdata
  libseccomp-dev libboost1.81-dev libre2-dev json-schema-test-suite libarchive-dev libjemalloc-dev
  chromium  # tests/e2e: the web app's browser tests (playwright-core drives it)
  apache2-utils  # ab: the load generator of make bench, bench-peers and soak
  libpq-dev postgresql  # store/postgres (libpq); make test starts a throwaway server (scripts/with_postgres.sh)
  clang libclang-rt-14-dev  # fuzz/ (libFuzzer, ASan, UBSan): -DWEFT_FUZZ=ON only
  # Runtime deps of libnode108 (unpacked below, not installed) and libuv's headers for node.h.
  libuv1 libuv1-dev libc-ares2 libicu72 libnghttp2-14 libbrotli1 libssl3 zlib1g
)

missing=()
for pkg in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages present"
else
  echo "setup: installing ${missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# V8 for the sandbox (DESIGN.md §3 "Sandbox engine"): Debian's libnode108 + libnode-dev
# (Node 18, V8 10.2). Installing them conflicts with the machine's Node 20, so they are
# downloaded and unpacked into the ignored .deps/libnode; CMake (cmake/FindLibNode.cmake)
# finds them there and sets the RPATH.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LIBNODE_DIR="$ROOT/.deps/libnode"
if [ -f "$LIBNODE_DIR/usr/include/node/v8.h" ] && \
   [ -e "$LIBNODE_DIR/usr/lib/x86_64-linux-gnu/libnode.so.108" ]; then
  echo "setup: libnode present in .deps/libnode"
else
  echo "setup: unpacking libnode108 + libnode-dev into .deps/libnode"
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  # apt-get download writes to the current directory; _apt must be able to write there.
  chmod 0777 "$tmp"
  if ! (cd "$tmp" && apt-get download libnode108 libnode-dev); then
    $SUDO apt-get update -qq
    (cd "$tmp" && apt-get download libnode108 libnode-dev)
  fi
  rm -rf "$LIBNODE_DIR.partial"
  mkdir -p "$LIBNODE_DIR.partial"
  for deb in "$tmp"/libnode108_*.deb "$tmp"/libnode-dev_*.deb; do
    dpkg -x "$deb" "$LIBNODE_DIR.partial"
  done
  rm -rf "$LIBNODE_DIR"
  mv "$LIBNODE_DIR.partial" "$LIBNODE_DIR"
  echo "setup: libnode unpacked"
fi

# @weft/sdk (sdk/): Node and npm, then the SDK's pinned npm packages (esbuild for weft-bundle,
# typescript for its tests) from sdk/package-lock.json. A stamp holding the lock file's hash
# makes a re-run skip `npm ci` while node_modules matches the lock. No install scripts run:
# esbuild finds its binary in its @esbuild/<platform> package without its postinstall.
if ! command -v npm >/dev/null 2>&1; then
  echo "setup: installing nodejs npm"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm
fi
SDK_DIR="$ROOT/sdk"
SDK_STAMP="$SDK_DIR/node_modules/.weft-setup-lock.sha256"
sdk_lock_hash="$(sha256sum "$SDK_DIR/package-lock.json" | cut -d' ' -f1)"
if [ -f "$SDK_STAMP" ] && [ "$(cat "$SDK_STAMP")" = "$sdk_lock_hash" ]; then
  echo "setup: sdk/node_modules matches sdk/package-lock.json"
else
  echo "setup: npm ci in sdk/"
  (cd "$SDK_DIR" && npm ci --no-audit --no-fund --ignore-scripts)
  echo "$sdk_lock_hash" > "$SDK_STAMP"
fi
