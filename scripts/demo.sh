#!/usr/bin/env bash
# Quickstart 1: set up, then brief the example cluster that ships in examples/.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export HF_HUB_OFFLINE=1
exec .venv/bin/newsbrief brief examples/cluster --format text "$@"
