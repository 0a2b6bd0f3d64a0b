#!/usr/bin/env bash
# One entry point for people and CI. Each command sets up what it needs first:
# Debian libraries (when root and missing), a virtual environment in .venv, and
# the locked Python packages from requirements.lock.
#
#   ./run.sh demo [--out DIR]   write every document for the bundled samples (default: ./out)
#   ./run.sh test [PYTEST ARGS] ruff, mypy and the test suite (what CI runs)
#   ./run.sh test-fast [ARGS]   the edit loop: ruff, mypy and the tests not marked slow
#   ./run.sh bench [ARGS]       the benchmark in bench/letters.py
#   ./run.sh grantdocs ARGS     the command-line tool itself
set -euo pipefail
cd "$(dirname "$0")"

VENV=${GRANTDOCS_VENV:-.venv}
PY=${PYTHON:-python3}

# Libraries WeasyPrint loads at run time, and libharfbuzz-subset0 so that fonts
# are subset by HarfBuzz and not by the 3-4x slower fontTools fallback.
RUNTIME_DEBS=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 fontconfig)
# Independent readers the tests use: pdftotext/pdftoppm, hunspell nb_NO/nn_NO, LibreOffice.
# PostgreSQL and Redis: the scale-out test starts a throw-away cluster and server of its own.
TEST_DEBS=(poppler-utils hunspell hunspell-no libreoffice-writer-nogui libreoffice-calc-nogui
           postgresql redis-server)
# The browser tests (tests/browser/): Debian's Chromium headless shell (the same engine
# as its chromium, without the desktop UI: about 40 % less CPU for the same tests),
# driven by Playwright through executable_path (Playwright's own browser download is
# never used). axe-core comes from the npm registry through the machine's Node.js and
# npm (setup_browser_tests).
BROWSER_DEBS=(chromium-headless-shell)

need_debs() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "run.sh: installing Debian packages: ${missing[*]}" >&2
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  else
    echo "run.sh: missing Debian packages (install them as root): ${missing[*]}" >&2
  fi
}

setup_python() {
  if [ ! -x "$VENV/bin/python" ]; then
    "$PY" -m venv "$VENV"
  fi
  local stamp="$VENV/.grantdocs-lock"
  local want
  want=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check -r requirements.lock >&2
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check --no-deps -e . >&2
    echo "$want" > "$stamp"
  fi
}

# axe-core for the browser tests, from the npm registry at the version that
# tests/browser/package-lock.json pins, into tests/browser/node_modules/ (git-ignored);
# done again only when the lock file changes.
setup_browser_tests() {
  local dir=tests/browser stamp=tests/browser/node_modules/.grantdocs-lock want
  want=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  if [ -f "$dir/node_modules/axe-core/axe.min.js" ] && [ -f "$stamp" ] \
     && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  if ! command -v npm >/dev/null; then
    echo "run.sh: npm is missing: the browser tests need it for axe-core" >&2
    return 0
  fi
  (cd "$dir" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error >&2)
  echo "$want" > "$stamp"
}

cmd=${1:-help}
shift || true
case "$cmd" in
  demo)
    need_debs "${RUNTIME_DEBS[@]}"
    setup_python
    exec "$VENV/bin/grantdocs" demo "$@"
    ;;
  test)
    need_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}" "${BROWSER_DEBS[@]}"
    setup_python
    setup_browser_tests
    "$VENV/bin/ruff" check
    "$VENV/bin/mypy"
    # Two test processes (pytest-xdist): the suite is mostly single-threaded
    # rendering, and the machines here have 2 cores. `-n 0` runs it in one.
    # worksteal: a worker that runs out of tests takes some of the other's, so the slow
    # tests at the end do not leave one core idle.
    exec "$VENV/bin/python" -m pytest -n "${GRANTDOCS_TEST_PROCESSES:-2}" --dist worksteal "$@"
    ;;
  test-fast)
    need_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}" "${BROWSER_DEBS[@]}"
    setup_python
    setup_browser_tests
    "$VENV/bin/ruff" check
    "$VENV/bin/mypy"
    exec "$VENV/bin/python" -m pytest -n "${GRANTDOCS_TEST_PROCESSES:-2}" --dist worksteal \
      -m "not slow" "$@"
    ;;
  bench)
    need_debs "${RUNTIME_DEBS[@]}" "${TEST_DEBS[@]}"
    setup_python
    exec "$VENV/bin/python" bench/letters.py "$@"
    ;;
  grantdocs)
    need_debs "${RUNTIME_DEBS[@]}"
    setup_python
    exec "$VENV/bin/grantdocs" "$@"
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    [ "$cmd" = help ] || exit 2
    ;;
esac
