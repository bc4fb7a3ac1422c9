#!/usr/bin/env bash
# Builds the Linux package (.deb) with Tauri's bundler, installs it on this machine, and
# starts the installed app under a virtual display until its first screen is drawn.
# Checks that the binary is stripped, the desktop entry names the app plainly and the
# icons are there at every size. Prints the sizes. Needs scripts/install-deps.sh first
# and `npm ci` (the Tauri command line comes from package.json).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
target="${CARGO_TARGET_DIR:-$PWD/target}"

echo "package: building the .deb (release)"
npx --no-install tauri build --bundles deb --ci >/dev/null
deb="$(ls -t "$target"/release/bundle/deb/*.deb | head -n 1)"
pkg="$(dpkg-deb -f "$deb" Package)"
echo "package: built $deb (package $pkg)"

echo "package: installing it"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --reinstall "$deb" >/dev/null

fail() { echo "package: $*" >&2; exit 1; }
bin=/usr/bin/zoho-oauth-assistant
[ -x "$bin" ] || fail "the package did not install $bin"
file -L "$bin" | grep -q ", stripped" || fail "the installed binary is not stripped: $(file -L "$bin")"
entry="$(dpkg -L "$pkg" | grep '\.desktop$' | head -n 1)"
[ -n "$entry" ] || fail "no desktop entry in the package"
grep -q '^Name=Zoho OAuth Assistant$' "$entry" || fail "the desktop entry does not name the app: $(grep '^Name=' "$entry")"
grep -q '^Exec=zoho-oauth-assistant' "$entry" || fail "the desktop entry does not start the app: $(grep '^Exec=' "$entry")"
icons="$(dpkg -L "$pkg" | grep -c '/icons/hicolor/.*/apps/.*\.png$' || true)"
[ "$icons" -ge 3 ] || fail "expected icons at several sizes, found $icons: $(dpkg -L "$pkg" | grep icons)"

echo "package: starting the installed app"
home="$(mktemp -d)"
trap 'rm -rf "$home"' EXIT
mkdir -m 700 "$home/run"
log="$home/app.log"
HOME="$home" XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config" \
  XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$home/run" NO_AT_BRIDGE=1 \
  DBUS_SESSION_BUS_ADDRESS=disabled: ZOHO_OAUTH_ASSISTANT_REPORT_READY=1 \
  timeout 90 xvfb-run -a -s "-screen 0 1280x800x24" \
  sh -c "$bin 2>'$log' & pid=\$!; for i in \$(seq 1 600); do grep -q 'ready after' '$log' && break; sleep 0.1; done; kill \$pid; wait \$pid 2>/dev/null; true"
grep -q 'ready after' "$log" || fail "the installed app did not show its first screen within a minute: $(cat "$log")"

size() { du -h --apparent-size "$1" | cut -f1; }
echo "package: OK. The installed app showed its first screen ($(grep -o 'ready after [0-9]* ms' "$log")); binary $(size "$bin"), .deb $(size "$deb"), $icons icons."
