#!/usr/bin/env bash
# Prepare a fresh Debian 12 machine (or re-check a prepared one, in about a second):
#   1. Debian packages the portal needs (fonts with every Vietnamese glyph, Pango/HarfBuzz for WeasyPrint,
#      poppler-utils, Debian's Chromium for the browser tests, LibreOffice Writer to check the DOCX export):
#      installed with apt-get only when run as root and something is missing (`apt-get update` runs only then);
#   2. the virtualenv .venv (python3 -m venv) with the project's dependencies and its `test` extra; pip runs again
#      only when pyproject.toml is newer than the stamp file .venv/.portal-installed.
# Never downloads a browser build (`playwright install` is not used: the tests drive /usr/bin/chromium).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

PYTHON="${PYTHON:-python3}"
VENV="$ROOT/.venv"
STAMP="$VENV/.portal-installed"
EXTRAS="${PORTAL_EXTRAS:-test}"

DEBIAN_PACKAGES=(
    fonts-liberation2 fonts-texgyre libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils chromium
    libreoffice-writer-nogui  # the DOCX export is converted to PDF and read back (tests/documents/test_docx_libreoffice.py)
)
# `python3 -m venv` needs ensurepip, which Debian ships separately.
if ! "$PYTHON" -c "import ensurepip, venv" >/dev/null 2>&1; then
    DEBIAN_PACKAGES+=(python3-venv)
fi

log() { printf '==> %s\n' "$*"; }

missing=()
if command -v dpkg >/dev/null 2>&1; then
    for pkg in "${DEBIAN_PACKAGES[@]}"; do
        # "install ok installed", not merely known to dpkg (removed packages keep a status entry).
        if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
            missing+=("$pkg")
        fi
    done
fi

if ((${#missing[@]})); then
    if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
        log "Installing Debian packages: ${missing[*]}"
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends "${missing[@]}"
    else
        log "WARNING: missing Debian packages: ${missing[*]}"
        log "         install them with: sudo apt-get install ${missing[*]}"
        log "         (PDF fonts and browser tests need them; browser tests are skipped without chromium)"
    fi
fi

if [[ ! -x "$VENV/bin/python" ]]; then
    log "Creating virtualenv .venv"
    "$PYTHON" -m venv "$VENV"
    rm -f "$STAMP"
fi

if [[ ! -f "$STAMP" || "$ROOT/pyproject.toml" -nt "$STAMP" ]]; then
    log "Installing Python dependencies (.[${EXTRAS}]) into .venv"
    pip_log="$VENV/pip-install.log"
    # The project itself has no packages ([tool.setuptools] packages = []): this installs only its dependencies.
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check -e ".[${EXTRAS}]" >"$pip_log" 2>&1; then
        grep -v "is ignored: it is neither a file nor a directory" "$pip_log" | tail -40 >&2
        log "pip install failed (full log: $pip_log)" >&2
        exit 1
    fi
    touch "$STAMP"
fi
