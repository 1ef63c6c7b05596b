#!/usr/bin/env bash
# The import tests re-save spreadsheets with LibreOffice (`soffice --headless --convert-to xlsx`) and make .xls
# files with it. Install Calc without its GUI from Debian's packages when soffice is missing; quiet when it
# is there. Without root or sudo, those tests are skipped and say why.
set -u
command -v soffice >/dev/null && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Spreadsheet tests need LibreOffice (apt-get install -y --no-install-recommends libreoffice-calc-nogui); they will be skipped." >&2
    exit 0
  fi
fi
echo "Installing libreoffice-calc-nogui for the spreadsheet import tests..."
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
  libreoffice-calc-nogui >/dev/null
