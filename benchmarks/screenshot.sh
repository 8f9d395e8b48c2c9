#!/usr/bin/env bash
# Render a jixiao report page in headless Chromium and save a screenshot: the check that the
# self-contained HTML really renders (fonts, highlights, findings table) in a browser.
#   benchmarks/screenshot.sh OUT/reports/<doc>.html [shot.png] [WIDTHxHEIGHT]
set -euo pipefail
page="${1:?usage: screenshot.sh PAGE.html [SHOT.png] [WIDTHxHEIGHT]}"
shot="${2:-${page%.html}.png}"
size="${3:-1280x2000}"
browser="$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)"
[ -n "$browser" ] || { echo "screenshot.sh: no chromium (apt-get install chromium)" >&2; exit 3; }
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
abs="$(cd "$(dirname "$page")" && pwd)/$(basename "$page")"
out="$(cd "$(dirname "$shot")" && pwd)/$(basename "$shot")"
timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$profile" --window-size="${size/x/,}" --screenshot="$out" "file://$abs" >/dev/null 2>&1
[ -s "$out" ] || { echo "screenshot.sh: no screenshot written" >&2; exit 1; }
echo "$out"
