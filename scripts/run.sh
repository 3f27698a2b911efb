#!/usr/bin/env bash
# Set up (if needed), build the index (re-embeds only what changed) and start the web UI.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
.venv/bin/codecite ingest
exec .venv/bin/codecite serve
