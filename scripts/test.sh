#!/usr/bin/env bash
# Set up (if needed) and run every check: ruff, the knowledge validator and all tests
# (unit, integration with the real embedder and embedded LLM, browser with Debian chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing Debian chromium for the browser tests..."
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
    || echo "warning: chromium could not be installed; browser tests will skip"
fi
export HF_HUB_OFFLINE=1
.venv/bin/ruff check .
.venv/bin/ruff format --check . >/dev/null || { echo "ruff format: files need formatting"; exit 1; }
.venv/bin/mypy  # the [tool.mypy] files in pyproject.toml: assistant, evals, benchmarks
.venv/bin/codecite validate --quiet
exec .venv/bin/pytest "$@"
