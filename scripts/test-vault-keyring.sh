#!/usr/bin/env bash
# Runs the vault's OS-keyring tests against a real Secret Service: a private D-Bus
# session with a throw-away gnome-keyring, unlocked with a throw-away password, whose
# keyrings live in a temporary folder (the user's own keyring is never touched).
# Skips loudly (exit 0) where dbus-run-session or gnome-keyring-daemon is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "########################################################################" >&2
    echo "SKIPPED: vault keyring tests: '$tool' is not installed." >&2
    echo "Install the packages dbus and gnome-keyring (scripts/install-deps.sh does)." >&2
    echo "########################################################################" >&2
    exit 0
  fi
done

# Build outside the D-Bus session so that only the tests run inside it.
# --workspace keeps the same feature set as the main test run, so nothing is rebuilt.
cargo test --workspace --test vault_keyring --no-run --quiet

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/runtime" "$scratch/data" "$scratch/config" "$scratch/cache"
chmod 700 "$scratch/runtime"

env -u DBUS_SESSION_BUS_ADDRESS \
  HOME="$scratch" \
  XDG_RUNTIME_DIR="$scratch/runtime" \
  XDG_DATA_HOME="$scratch/data" \
  XDG_CONFIG_HOME="$scratch/config" \
  XDG_CACHE_HOME="$scratch/cache" \
  CARGO_HOME="${CARGO_HOME:-$HOME/.cargo}" \
  RUSTUP_HOME="${RUSTUP_HOME:-$HOME/.rustup}" \
  dbus-run-session -- sh -c '
    set -e
    printf "%s" "vault-keyring-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    # The daemon exits when this throw-away session bus goes away.
    exec cargo test --workspace --test vault_keyring -- --ignored --test-threads=1
  '
