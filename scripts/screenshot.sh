#!/usr/bin/env bash
# Take a screenshot of the real studio under Xvfb: scripts/screenshot.sh [PROJECT] [OUT.png] [SCROLLS] [X Y]
# Needs xvfb, xdotool and imagemagick (apt-get install -y xvfb xdotool imagemagick).
# SCROLLS wheel-up clicks at (X, Y) zoom in from the initial "fit all" view.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
project=${1:-projects/shop.ron}
out=${2:-docs/screenshot.png}
scrolls=${3:-0}
x=${4:-700}
y=${5:-400}
bin=${CROWFOOT_BIN:-target/debug/crowfoot}
[[ -x $bin ]] || cargo build --quiet
display=:$((90 + RANDOM % 9))
Xvfb "$display" -screen 0 1400x900x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $app $xvfb 2>/dev/null || true' EXIT
sleep 1
# A fresh settings folder: no remembered panel sizes or theme.
XDG_DATA_HOME=$(mktemp -d) DISPLAY=$display "$bin" "$project" >/dev/null 2>&1 &
app=$!
sleep 4
win=$(DISPLAY=$display xdotool search --name Crowfoot | head -1)
DISPLAY=$display xdotool windowfocus "$win" mousemove "$x" "$y"
for _ in $(seq 1 "$scrolls"); do DISPLAY=$display xdotool click 4; sleep 0.05; done
# Optionally select something: CLICK="x y" clicks there after zooming.
if [[ -n ${CLICK:-} ]]; then
    # shellcheck disable=SC2086
    DISPLAY=$display xdotool mousemove $CLICK click 1
    sleep 0.5
fi
# Optionally press keys: KEYS="ctrl+shift+n" (xdotool key names, space-separated).
if [[ -n ${KEYS:-} ]]; then
    # shellcheck disable=SC2086
    DISPLAY=$display xdotool key $KEYS
    sleep 0.5
fi
# Park the pointer on the status bar so no tooltip covers the diagram.
DISPLAY=$display xdotool mousemove 700 895
sleep 1.5
DISPLAY=$display import -window root "$out"
echo "wrote $out"
