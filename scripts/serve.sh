#!/usr/bin/env bash
# Builds modhttpd, installs it into build-run/root (laid out like Apache:
# bin/ modules/ etc/ htdocs/ logs/) and runs it in the foreground on the
# bundled etc/modhttpd.conf and htdocs/: http://127.0.0.1:8080/ (mpm_prefork).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
root="$PWD/build-run/root"
[ -d build-run ] || meson setup build-run --buildtype=release -Dtests=false --prefix="$root" >/dev/null
ninja -C build-run >/dev/null
meson install -C build-run --quiet
echo "modhttpd: serving $root/htdocs on http://127.0.0.1:8080/ (Ctrl-C stops it)"
exec "$root/bin/modhttpd" -D FOREGROUND
