#!/usr/bin/env bash
# Quickstart 2: set up with the test extras, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
export HF_HUB_OFFLINE=1
exec .venv/bin/python -m pytest -q "$@"
