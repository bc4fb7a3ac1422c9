#!/usr/bin/env bash
# Windows, from this Linux machine: builds the core's, the sandbox's and the command
# line's tests as Windows programs (x86_64-pc-windows-gnu, with mingw) and runs every
# one of them under Wine, against Windows' own file, lock, process, socket and
# credential APIs as Wine provides them; then builds the release app and command line
# for Windows and the installer (scripts/windows/installer.nsi, Debian's makensis), and
# checks that the installer holds both programs. The window itself cannot run under
# Wine (no WebView2), so the app is built and packaged here but not started.
# Needs scripts/install-deps.sh first and `npm ci`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

triple=x86_64-pc-windows-gnu
target="${CARGO_TARGET_DIR:-$PWD/target}"
say() { echo "windows: $*"; }
fail() { echo "windows: $*" >&2; exit 1; }
timed() {
  local started=$SECONDS
  "$@"
  say "took $((SECONDS - started)) s"
}

# A prefix of our own, so the tests neither read nor leave anything in the user's.
export WINEPREFIX="${ZOHO_WINEPREFIX:-$target/wine-prefix}"
export WINEDEBUG=-all
export WINEARCH=win64
# Without a display Wine would try to open windows for its own dialogs.
unset DISPLAY WAYLAND_DISPLAY
stop_wine() { wineserver -k 2>/dev/null || true; }
trap stop_wine EXIT

if [ ! -f "$WINEPREFIX/system.reg" ]; then
  say "making a Wine prefix in $WINEPREFIX"
  wine wineboot --init >/dev/null 2>&1 || true
  wineserver -w
  [ -f "$WINEPREFIX/system.reg" ] || fail "Wine did not make its prefix in $WINEPREFIX"
fi

# Wine's Credential Manager encrypts every stored password with a key it makes on first
# use, and makes it without a lock: two tests that store their first credentials at the
# same moment each make a key, the last one written wins, and the password stored with
# the other no longer decodes ("the stored key is not text"). Windows has no such race
# (its store is DPAPI's), so the prefix gets its key before any test runs.
cred_mgr='HKCU\Software\Wine\Credential Manager'
if ! wine reg query "$cred_mgr" /v EncryptionKey >/dev/null 2>&1; then
  wine reg add "$cred_mgr" /v EncryptionKey /t REG_BINARY \
    /d "$(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')" /f >/dev/null 2>&1 \
    || fail "could not give Wine's Credential Manager its key"
  wineserver -w
fi

# Rust's standard library needs ProcessPrng (bcryptprimitives.dll), which Wine 8 lacks.
builtin="$(find /usr/lib /usr/lib64 -path '*wine/x86_64-windows/bcryptprimitives.dll' 2>/dev/null | head -n 1)"
if [ -n "$builtin" ] && grep -qa ProcessPrng "$builtin"; then
  say "Wine has ProcessPrng; no stand-in needed"
else
  say "Wine lacks ProcessPrng; using the stand-in from scripts/wine"
  scripts/wine/build.sh "$target/wine-shim"
  cp "$target/wine-shim/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
  export WINEDLLOVERRIDES="bcryptprimitives=n"
fi

suites=(-p zoho-oauth-core -p zoho-sandbox -p zoho-oauth-cli)
# Under Wine every request to the sandbox takes a few hundred milliseconds of waiting
# (Wine's socket polling; the CPU is idle meanwhile), so two sandbox tests that time
# the sandbox itself cannot pass here: one checks that an undelayed request answers
# within the 700 ms a delayed one takes, the other spends a consent code, which lives
# 60 seconds, after a long series of refused requests. A third opens a thousand
# connections to the redirect listener: Wine accepts them so slowly that its queue
# fills, and then Windows (unlike Linux, which makes a connection wait) refuses the
# rest outright, the real redirect included. All three run on Linux.
wine_too_slow_for=(
  --skip a_delay_holds_requests_then_lets_them_through
  --skip a_body_that_is_not_a_form_is_refused_and_spends_no_code
  --skip a_thousand_slow_connections_neither_block_the_redirect_nor_outlive_the_flow
)

say "building the tests for Windows"
timed cargo test --target "$triple" "${suites[@]}" --no-run

# The same tests, every one of them in Wine (the tests' own child processes too),
# three test programs at a time. Windows always has its Credential Manager, so the
# vault's keyring tests, which need a Secret Service on Linux, run against it too.
say "running the core's, the sandbox's and the command line's tests under Wine"
listing="$target/$triple/windows-tests.json"
cargo test --target "$triple" "${suites[@]}" --no-run --message-format=json >"$listing"
timed scripts/wine/run-tests.py 3 --include-ignored-in vault_keyring \
  -- "${wine_too_slow_for[@]}" <"$listing"

# Code behind cfg(windows) is compiled only here, so it is linted only here. The
# end-to-end tests and the empty-window baseline are Linux programs.
say "checking the Windows code with clippy"
timed cargo clippy --target "$triple" "${suites[@]}" -p zoho-oauth-assistant --all-targets \
  -- -D warnings

say "building the release app and command line for Windows"
release="$target/$triple/release"
# As `tauri build --no-bundle` builds the app, with the command line in the same run
# so that the two share every dependency's build.
timed cargo build --release --target "$triple" -p zoho-oauth-assistant -p zoho-oauth-cli \
  --features tauri/custom-protocol
app="$release/zoho-oauth-assistant.exe"
cli="$release/zoho-oauth.exe"
[ -f "$app" ] || fail "no $app"
[ -f "$cli" ] || fail "no $cli"

say "checking the command line runs as a Windows program"
# Into a file: Wine's background processes would hold a pipe open after it ends.
help="$target/$triple/zoho-oauth-help.txt"
wine "$cli" --help >"$help" 2>&1 || fail "zoho-oauth.exe --help failed: $(cat "$help")"
grep -q "Usage: zoho-oauth" "$help" || fail "zoho-oauth.exe --help printed: $(cat "$help")"

say "building the installer"
version="$(sed -n 's/^version = "\(.*\)"$/\1/p' Cargo.toml | head -n 1)"
[ -n "$version" ] || fail "no version in Cargo.toml"
out="$release/bundle/nsis"
mkdir -p "$out"
installer="$out/Zoho OAuth Assistant_${version}_x64-setup.exe"
makensis -V2 -WX -NOCD \
  "-DAPP_EXE=$app" "-DCLI_EXE=$cli" "-DVERSION=$version" \
  "-DOUTFILE=$installer" "-DICON=$PWD/icons/icon.ico" \
  scripts/windows/installer.nsi
[ -f "$installer" ] || fail "makensis made no installer"

listing="$(7z l -slt "$installer")" || fail "7z cannot read the installer: $listing"
for name in zoho-oauth-assistant.exe zoho-oauth.exe uninstall.exe; do
  grep -qx "Path = $name" <<<"$listing" || fail "the installer lacks $name: $(grep '^Path = ' <<<"$listing")"
done
size() { du -h --apparent-size "$1" | cut -f1; }
say "OK. Installer $installer ($(size "$installer")): app $(size "$app"), command line $(size "$cli")."
