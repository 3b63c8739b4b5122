#!/usr/bin/env bash
# Make sure the system packages that HiGHS needs to build from source (through
# the highs-sys crate) are present: cmake, libclang (for bindgen) and a C++
# compiler. Installs them with apt-get when run as root; otherwise prints the
# exact command and stops.
set -euo pipefail

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
if ! ls /usr/lib/llvm-*/lib/libclang*.so* /usr/lib/*/libclang*.so* >/dev/null 2>&1 \
    && [ -z "${LIBCLANG_PATH:-}" ]; then
  missing+=(libclang-dev)
fi

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing ${missing[*]} (needed to build HiGHS)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "itinera needs ${missing[*]} to build the HiGHS solver. Run:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

# rustfmt and clippy are part of `make test`.
if command -v rustup >/dev/null 2>&1; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c" >/dev/null 2>&1 || true
  done
fi
