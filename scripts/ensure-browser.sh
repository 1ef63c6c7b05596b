#!/usr/bin/env bash
# Browser tests drive Debian's Chromium with Playwright. Install it (and CJK fonts, without which every
# Chinese character in a screenshot is a blank box) from Debian's packages when missing. No browser is
# ever downloaded from the internet.
set -u
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || missing+=(fonts-noto-cjk)
[ ${#missing[@]} -eq 0 ] && exit 0
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null && sudo -n true 2>/dev/null; then SUDO="sudo -n"; else
    echo "Browser tests need: ${missing[*]} (apt-get install -y ${missing[*]}); they will be skipped." >&2
    exit 0
  fi
fi
echo "Installing ${missing[*]} for the browser tests..."
$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
