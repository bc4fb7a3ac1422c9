#!/usr/bin/env bash
# Installs what a fresh Debian/Ubuntu machine lacks to build, run and test the app:
# the system libraries Tauri builds against, Xvfb and WebKitWebDriver for the
# end-to-end tests, gnome-keyring for the vault's keyring tests, and tauri-driver;
# for the Windows build and its tests (scripts/test-windows.sh) the Rust target
# x86_64-pc-windows-gnu, mingw to link it, Wine to run its tests, makensis for the
# installer and 7z to look inside it.
# libdbus-1-dev is listed on its own account: the keyring crate links against it to
# reach the Secret Service, whether or not the GTK packages happen to pull it in.
# Idempotent: every step checks first, so a second run takes a second or two.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "install-deps: need root or sudo to install system packages" >&2; exit 1
  fi
fi

if ! command -v cargo >/dev/null 2>&1; then
  echo "install-deps: Rust is not installed; install it from https://rustup.rs and run this again" >&2
  exit 1
fi

APT_PACKAGES=(
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev build-essential pkg-config libssl-dev file curl
  libdbus-1-dev
  xvfb xauth webkit2gtk-driver dbus-x11 gnome-keyring libsecret-1-dev libsecret-tools
  imagemagick x11-utils xdotool at-spi2-core procps
  gcc-mingw-w64-x86-64 wine wine64 nsis p7zip-full
)
# Node.js and npm type-check the UI; a machine that has them already keeps its own.
if ! command -v npm >/dev/null 2>&1; then
  APT_PACKAGES+=(nodejs npm)
fi

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-deps: this script installs with apt-get (Debian/Ubuntu); install these yourself: ${missing[*]}" >&2
    exit 1
  fi
  echo "install-deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

windows_target=x86_64-pc-windows-gnu
if ! rustup target list --installed 2>/dev/null | grep -qx "$windows_target"; then
  if ! command -v rustup >/dev/null 2>&1; then
    echo "install-deps: the Windows build needs rustup to add the $windows_target target" >&2
    exit 1
  fi
  echo "install-deps: adding the Rust target $windows_target"
  rustup target add "$windows_target"
fi

cargo_bin="${CARGO_HOME:-$HOME/.cargo}/bin"
if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$cargo_bin/tauri-driver" ]; then
  echo "install-deps: installing tauri-driver"
  cargo install tauri-driver --version '^2' --locked --quiet
fi
