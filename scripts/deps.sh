#!/usr/bin/env bash
# Installs the Debian 12 packages modhttpd needs, once. Usage:
#   scripts/deps.sh          to build and run the server
#   scripts/deps.sh test     to also run every test
set -euo pipefail

build=(meson ninja-build g++ pkg-config libuv1-dev libboost-dev nlohmann-json3-dev
       doctest-dev libhttp-parser-dev libpcre2-dev zlib1g-dev libcrypt-dev libssl-dev
       libsystemd-dev)
# Tests: the Python test runner, real clients and tools to compare against.
test=(python3 python3-pytest curl apache2-utils clang libclang-rt-14-dev wrk goaccess
      prometheus-apache-exporter slowhttptest chromium procps gnuplot-nox php-fpm apache2 sslscan haproxy)

want=("${build[@]}")
[ "${1:-}" = test ] && want+=("${test[@]}")

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
