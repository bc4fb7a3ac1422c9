#!/usr/bin/env bash
# Runs every test: installs what this machine lacks (idempotently), builds the app,
# runs the whole workspace's tests (the end-to-end window test included, which starts
# its own virtual display), then the vault's keyring test where it exists, then the
# Windows build, its tests under Wine and its installer (scripts/test-windows.sh),
# then builds the .deb, installs it and starts the installed app.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

step() {
  echo
  echo "==> $* ($(date +%T))"
}
started=$SECONDS

step "Installing what is missing"
./scripts/install-deps.sh
# cargo install puts tauri-driver here; a fresh shell may not have it on PATH yet.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# The end-to-end test fails, instead of skipping, when anything it needs is missing.
export E2E_REQUIRED="${E2E_REQUIRED:-1}"

step "Type-checking the window's JavaScript"
# The UI ships as plain modules; TypeScript only reads their JSDoc types.
npm ci --no-audit --no-fund --loglevel=error
npx --no-install tsc -p tsconfig.json

step "Building the app"
cargo build -p zoho-oauth-assistant

step "Running the workspace's tests"
cargo test --workspace

if [ -f scripts/test-vault-keyring.sh ]; then
  step "Running the vault's keyring test"
  bash scripts/test-vault-keyring.sh
fi

step "Testing and packaging for Windows (under Wine)"
./scripts/test-windows.sh

step "Building, installing and starting the Linux package"
./scripts/package.sh

echo
echo "All tests passed in $((SECONDS - started)) s."
