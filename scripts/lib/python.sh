# Sourced by the scripts: makes .venv with the project's Python dependencies.
# Idempotent: it reinstalls only when pyproject.toml changed since the last install.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv"
PY="$VENV/bin/python"

ensure_python_env() {
  local stamp="$VENV/.installed" want
  want="$(sha256sum "$ROOT/pyproject.toml" | cut -d' ' -f1)"
  if [[ -x "$PY" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    return 0
  fi
  echo "python: installing dependencies into .venv (uv, from pyproject.toml)" >&2
  [[ -x "$PY" ]] || python3 -m venv "$VENV"
  [[ -x "$VENV/bin/uv" ]] || "$PY" -m pip install --quiet --disable-pip-version-check uv
  "$VENV/bin/uv" pip install --quiet --python "$PY" -r "$ROOT/pyproject.toml" --extra dev
  echo "$want" >"$stamp"
}
