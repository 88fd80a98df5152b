#!/usr/bin/env bash
# Creates .venv and installs Gongyou into it: CPU-only torch first, so nothing pulls GBs of CUDA
# packages, then the project (with --test, also what the tests need). Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
pip=(.venv/bin/python -m pip install --disable-pip-version-check -q)
if ! .venv/bin/python -c "import torch" 2>/dev/null; then
  if ls /opt/wheels/torch-2.13.0* >/dev/null 2>&1; then
    "${pip[@]}" torch==2.13.0  # our machines keep the CPU wheel locally
  else
    "${pip[@]}" torch --index-url https://download.pytorch.org/whl/cpu
  fi
fi
if [ "${1:-}" = "--test" ]; then
  # llama-cpp-python is built from its sdist (about 4 minutes on 2 cores; pip caches the wheel, so
  # later runs take seconds). If it cannot be built here, the generation tests that need it skip
  # with a message and everything else is still tested.
  if ! "${pip[@]}" -e ".[test,llm-server]"; then
    echo "warning: llama-cpp-python could not be built: the in-process and server model tests will skip" >&2
    "${pip[@]}" -e ".[test]"
  fi
else
  "${pip[@]}" -e .
fi
