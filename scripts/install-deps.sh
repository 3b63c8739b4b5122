#!/usr/bin/env bash
# Make sure the system packages that HiGHS needs to build from source (through
# the highs-sys crate) are present: cmake, libclang (for bindgen) and a C++
# compiler. Installs them with apt-get when run as root; otherwise prints the
# exact command and stops.
#
#   scripts/install-deps.sh                 check, and install what is missing
#   scripts/install-deps.sh --find-libclang print the libclang bindgen would load, or exit 1
#   scripts/install-deps.sh --dry-run       print the packages it would install, install nothing
#
# ITINERA_LIBCLANG_DIRS (colon-separated) replaces the folders searched for
# libclang; the test suite uses it to prove the search against a folder that
# holds only look-alikes such as libclang-cpp.so.14.
set -euo pipefail

# The file names clang-sys (bindgen's loader) accepts on Linux: libclang.so,
# libclang.so.N, libclang-N.so and libclang-N.so.M. libclang-cpp.so.N is the
# C++ interface, a different library that bindgen cannot use.
is_libclang() {
  case "$1" in
    libclang.so | libclang.so.[0-9]*) return 0 ;;
    libclang-[0-9]*.so | libclang-[0-9]*.so.[0-9]*) return 0 ;;
  esac
  return 1
}

libclang_dirs() {
  if [ -n "${ITINERA_LIBCLANG_DIRS:-}" ]; then
    tr ':' '\n' <<<"$ITINERA_LIBCLANG_DIRS"
    return
  fi
  [ -n "${LIBCLANG_PATH:-}" ] && echo "$LIBCLANG_PATH"
  if command -v llvm-config >/dev/null 2>&1; then llvm-config --libdir 2>/dev/null || true; fi
  for d in /usr/lib/llvm-*/lib /usr/lib/x86_64-linux-gnu /usr/lib/aarch64-linux-gnu \
    /usr/lib64 /usr/lib /usr/local/lib /usr/local/llvm*/lib; do
    [ -d "$d" ] && echo "$d"
  done
  return 0
}

find_libclang() {
  local dir f
  while IFS= read -r dir; do
    [ -d "$dir" ] || continue
    for f in "$dir"/libclang*; do
      [ -e "$f" ] || continue
      if is_libclang "$(basename "$f")"; then
        echo "$f"
        return 0
      fi
    done
  done < <(libclang_dirs)
  return 1
}

if [ "${1:-}" = "--find-libclang" ]; then
  find_libclang
  exit $?
fi

missing=()
command -v cmake >/dev/null 2>&1 || missing+=(cmake)
command -v g++ >/dev/null 2>&1 || missing+=(g++)
find_libclang >/dev/null || missing+=(libclang-dev)

if [ "${1:-}" = "--dry-run" ]; then
  [ ${#missing[@]} -gt 0 ] && echo "would install: ${missing[*]}" || echo "nothing to install"
  exit 0
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
  if ! find_libclang >/dev/null; then
    echo "libclang-dev was installed but no libclang.so was found; set LIBCLANG_PATH to its folder" >&2
    exit 1
  fi
fi

# rustfmt and clippy are part of `make test`.
if command -v rustup >/dev/null 2>&1; then
  for c in rustfmt clippy; do
    rustup component list --installed 2>/dev/null | grep -q "^$c" || rustup component add "$c" >/dev/null 2>&1 || true
  done
fi
