#!/usr/bin/env bash
# Installs, idempotently, what the project needs on a Debian machine:
# the system packages (OCR, LibreOffice for legacy Word, CJK fonts) and the Python venv.
# Run again at any time: it installs only what is missing.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

# Debian packages, one per line, with why.
SYSTEM_PACKAGES=(
    tesseract-ocr            # OCR engine for scanned attachments
    tesseract-ocr-chi-sim    # Simplified Chinese model
    tesseract-ocr-osd        # orientation and script detection (sideways scans)
    libreoffice-writer-nogui # .doc / .wps / .rtf forms converted to .docx, headless
    libreoffice-calc-nogui   # .et / legacy spreadsheets; the tests make real .xls with it
    fonts-noto-cjk           # CJK glyphs for LibreOffice and rendered fixtures
    fonts-wqy-zenhei         # a second CJK font with a plain TTC file Pillow can load
    chromium                 # renders the report in a test; Playwright drives it for the workspace tests
    dovecot-imapd            # a real IMAP server the mail-intake tests start on loopback
    openssl                  # certificates for that server's TLS
    p7zip-full               # 7z archives
    unar                     # rar archives (a free backend)
    poppler-utils            # pdftoppm: the dossier screenshot in docs/ (README)
)

missing=()
for pkg in "${SYSTEM_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$pkg")
    fi
done

if ((${#missing[@]})); then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
    echo "setup: installing system packages: ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The Python environment, rebuilt only when pyproject.toml changes.
PYTHON="${PYTHON:-python3}"
STAMP=".venv/.setup-stamp"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -x .venv/bin/python ] || [ "$(cat "$STAMP" 2>/dev/null)" != "$want" ]; then
    echo "setup: preparing the Python environment in .venv"
    [ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
    .venv/bin/python -m pip install -q --upgrade pip
    .venv/bin/python -m pip install -q -e ".[test]"
    echo "$want" > "$STAMP"
fi
echo "setup: ready"
