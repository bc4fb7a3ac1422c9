#!/usr/bin/env bash
# Runs the Zoho OAuth Assistant, first installing anything this machine lacks.
# Practice mode is a switch in the window's header. To use a sandbox started apart
# (cargo run -p zoho-sandbox -- --port 8765) instead, run
#   ZOHO_OAUTH_ASSISTANT_SANDBOX_URL=http://127.0.0.1:8765 ./scripts/run.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

./scripts/install-deps.sh
exec cargo run -p zoho-oauth-assistant -- "$@"
