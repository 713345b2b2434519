# Shared shell helpers for scripts/*. Source it; do not run it.
# shellcheck shell=bash

# need_packages PKG...: installs the Debian packages that are missing (apt when root, otherwise prints the
# exact command and fails).
need_packages() {
  local missing=()
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ]; then
    echo ">> installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; then
      apt-get update -qq >/dev/null
      apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
  else
    echo "missing packages: ${missing[*]}; install them with:" >&2
    echo "  sudo apt-get install -y ${missing[*]}" >&2
    return 1
  fi
}

# need_jdk: a JDK 17 or later (javac), from apt when missing.
need_jdk() {
  if command -v javac >/dev/null 2>&1; then
    local v
    v=$(javac -version 2>&1 | sed -E 's/^javac ([0-9]+).*/\1/')
    if [ "${v:-0}" -ge 17 ] 2>/dev/null; then return 0; fi
  fi
  need_packages openjdk-17-jdk-headless
}
