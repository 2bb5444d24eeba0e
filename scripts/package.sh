#!/usr/bin/env bash
# Makes a Debian package of an existing build, without compiling it again
# (dpkg-buildpackage with debian/ is the full way, from the source):
#
#   scripts/package.sh <build dir> [output dir]     -> modhttpd_<version>_<arch>.deb
#
# A build configured with -Dinstall_layout=fhs --prefix=/usr is installed
# (meson install --destdir) as it is. A build of the default layout is
# installed too, then laid out as the package: the files that name install
# paths (the binary's compiled-in ServerRoot, modhttpd.conf,
# modhttpd-module, modhttpd-advise, modhttpd.pc, the man pages) are replaced
# by their package variants, which such a build also makes (package/).
# Every installed file must find its place: one that does not fails the run.
set -euo pipefail

build=$(cd "${1:?usage: scripts/package.sh <build dir> [output dir]}" && pwd)
out=$(mkdir -p "${2:-$build}" && cd "${2:-$build}" && pwd)
src=$(cd "$(dirname "$0")/.." && pwd)

option() {  # the value of a meson option of the build
  python3 -c 'import json, sys
print(next(o["value"] for o in json.load(open(sys.argv[1])) if o["name"] == sys.argv[2]))' \
    "$build/meson-info/intro-buildoptions.json" "$1"
}

stage=$(mktemp -d)
trap 'rm -rf "$stage"' EXIT
root=$stage/root
meson install -C "$build" --no-rebuild --quiet --destdir "$stage/installed" >/dev/null

if [ "$(option install_layout)" = fhs ]; then
  [ "$(option prefix)" = /usr ] || { echo "package.sh: the build's prefix must be /usr" >&2; exit 1; }
  mv "$stage/installed" "$root"
else
  [ -x "$build/package/modhttpd" ] || { echo "package.sh: $build/package/modhttpd is not built" >&2; exit 1; }
  from=$stage/installed$(option prefix)
  pkg=$build/package
  place() {  # place <mode> <file> <dir in the package>
    install -D -m "$1" "$2" "$root$3/$(basename "$2")"
  }
  place 755 "$pkg/modhttpd" /usr/sbin
  place 755 "$pkg/modhttpd-module" /usr/bin
  place 755 "$pkg/modhttpd-advise" /usr/bin
  place 644 "$pkg/modhttpd.conf" /etc/modhttpd
  place 644 "$pkg/modhttpd.pc" /usr/share/pkgconfig
  place 644 "$pkg/modhttpd.8" /usr/share/man/man8
  place 644 "$pkg/modhttpd-module.1" /usr/share/man/man1
  rm -f "$from"/bin/modhttpd "$from"/bin/modhttpd-module "$from"/bin/modhttpd-advise \
        "$from"/etc/modhttpd.conf "$from"/lib/*/pkgconfig/modhttpd.pc "$from"/lib/pkgconfig/modhttpd.pc \
        "$from"/share/man/man8/modhttpd.8 "$from"/share/man/man1/modhttpd-module.1
  move() {  # move <dir of the installed build> <dir in the package>
    [ -e "$from/$1" ] || return 0
    mkdir -p "$root$2"
    cp -a "$from/$1"/. "$root$2"/
    rm -rf "${from:?}/$1"
  }
  move modules /usr/lib/modhttpd/modules
  move etc /etc/modhttpd
  move htdocs /usr/share/modhttpd/htdocs
  move include /usr/include
  move share/modhttpd /usr/share/modhttpd
  rmdir "$from/logs" 2>/dev/null || true
  left=$(find "$from" -type f -o -type l)
  if [ -n "$left" ]; then
    printf 'package.sh: no place in the package for:\n%s\n' "$left" >&2
    exit 1
  fi
  mkdir -p "$root/etc/modhttpd/conf.d"
  place 644 "$src/etc/modhttpd.service" /lib/systemd/system
  install -D -m 644 "$src/etc/logrotate.d/modhttpd" "$root/etc/logrotate.d/modhttpd"
fi

# What dh_fixperms, dh_installdocs, dh_installchangelogs and dh_compress do.
find "$root/usr/lib/modhttpd/modules" -name '*.so' -exec chmod 644 {} +
docs=$root/usr/share/doc/modhttpd
install -D -m 644 "$src/debian/copyright" "$docs/copyright"
gzip -9n -c "$src/debian/changelog" >"$docs/changelog.gz"
find "$root/usr/share/man" -type f ! -name '*.gz' -exec gzip -9n {} +
chmod 644 "$docs/changelog.gz"

# The control file from debian/control and debian/changelog, with the
# shared libraries' packages found by dpkg-shlibdeps (run where debian/ is).
mkdir -p "$root/DEBIAN"
(
  cd "$src"
  dpkg-shlibdeps -T"$stage/substvars" "$root/usr/sbin/modhttpd" "$root"/usr/lib/modhttpd/modules/*.so 2>/dev/null
  dpkg-gencontrol -pmodhttpd -P"$root" -T"$stage/substvars" -f"$stage/files" -Vmisc:Depends=
)
# Every file under /etc is a conffile: dpkg keeps the administrator's edits.
(cd "$root" && find etc -type f | sort | sed 's|^|/|') >"$root/DEBIAN/conffiles"

(cd "$root" && find . -type f ! -path './DEBIAN/*' -printf '%P\0' | LC_ALL=C sort -z | xargs -0 md5sum) \
  >"$root/DEBIAN/md5sums"

# The maintainer scripts of debian/, with what dh_installsystemd adds:
# the unit enabled on a first install (a symlink, also without systemd),
# started (restarted on an upgrade) and stopped only where systemd runs.
systemd_snippet() {
  case $1 in
  postinst) cat <<'SH' ;;
if [ "$1" = configure ] || [ "$1" = abort-upgrade ] || [ "$1" = abort-deconfigure ] || [ "$1" = abort-remove ]; then
	if command -v deb-systemd-helper >/dev/null; then
		if deb-systemd-helper --quiet was-enabled modhttpd.service; then
			deb-systemd-helper enable modhttpd.service >/dev/null || true
		else
			deb-systemd-helper update-state modhttpd.service >/dev/null || true
		fi
	fi
	if [ -d /run/systemd/system ]; then
		systemctl --system daemon-reload >/dev/null || true
		if [ -n "$2" ]; then action=restart; else action=start; fi
		deb-systemd-invoke $action modhttpd.service >/dev/null || true
	fi
fi
SH
  prerm) cat <<'SH' ;;
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	deb-systemd-invoke stop modhttpd.service >/dev/null || true
fi
SH
  postrm) cat <<'SH' ;;
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl --system daemon-reload >/dev/null || true
fi
if [ "$1" = purge ] && [ -x /usr/bin/deb-systemd-helper ]; then
	deb-systemd-helper purge modhttpd.service >/dev/null || true
fi
SH
  esac
}
for script in postinst prerm postrm; do
  while IFS= read -r line; do
    if [ "$line" = "#DEBHELPER#" ]; then systemd_snippet "$script"; else printf '%s\n' "$line"; fi
  done <"$src/debian/modhttpd.$script" >"$root/DEBIAN/$script"
  chmod 755 "$root/DEBIAN/$script"
done

version=$(cd "$src" && dpkg-parsechangelog -S Version)
deb=$out/modhttpd_${version}_$(dpkg --print-architecture).deb
dpkg-deb --root-owner-group -Zxz -z1 --build "$root" "$deb" >/dev/null
echo "$deb"
