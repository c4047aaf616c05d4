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
DISPLAY=$display "$bin" "$project" >/dev/null 2>&1 &
app=$!
sleep 4
win=$(DISPLAY=$display xdotool search --name Crowfoot | head -1)
DISPLAY=$display xdotool windowfocus "$win" mousemove "$x" "$y"
for _ in $(seq 1 "$scrolls"); do DISPLAY=$display xdotool click 4; sleep 0.05; done
sleep 1.5
DISPLAY=$display import -window root "$out"
echo "wrote $out"
