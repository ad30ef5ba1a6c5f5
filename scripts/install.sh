#!/usr/bin/env bash
# Create .venv (if missing) and install the dependencies declared in pyproject.toml (runtime + test).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PY:-python3}
if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  "$PY" -m venv .venv
fi
.venv/bin/python - <<'PYEOF' > .venv/requirements.txt
import tomllib
data = tomllib.load(open("pyproject.toml", "rb"))
deps = data["project"]["dependencies"] + data["project"]["optional-dependencies"]["test"]
print("\n".join(deps))
PYEOF
echo "== installing Python packages"
.venv/bin/pip install --quiet --disable-pip-version-check -r .venv/requirements.txt
