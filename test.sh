#!/usr/bin/env bash
# The project's single test command (CI runs it through .ci/run).
#
# Installs PostgreSQL and MariaDB from Debian's packages when missing (and Node.js with the
# DBML/Mermaid parsers of tests/js, for tests/exports.rs), starts private
# instances of both in a temporary directory (scripts/dbs.sh), then runs
# `cargo fmt --check`, `cargo clippy -D warnings`, a build of the library without the studio
# (`--no-default-features`: no egui/eframe/rfd in its dependency tree) and
# `cargo test --all-targets --no-fail-fast` (all four, even after a failure) with
# CROWFOOT_PG / CROWFOOT_MYSQL set and CROWFOOT_REQUIRE_DBS=1, so
# the export tests must run against the real engines. The servers are stopped and removed on
# exit, whatever happens. Prints the time of each phase at the end.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"

# shellcheck source=scripts/dbs.sh
source scripts/dbs.sh

declare -a PHASES=()
now() { date +%s.%N; }
T_ALL=$(now)
phase() {
    # phase NAME COMMAND...: run and record the wall time.
    local name=$1 t0 rc=0
    shift
    printf '\n==> %s\n' "$name"
    t0=$(now)
    "$@" || rc=$?
    local secs
    secs=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')
    PHASES+=("$(printf '%-28s %7ss%s' "$name" "$secs" "$([[ $rc -eq 0 ]] || echo "  FAILED ($rc)")")")
    printf '<== %s: %ss%s\n' "$name" "$secs" "$([[ $rc -eq 0 ]] || echo " (FAILED, exit $rc)")"
    return "$rc"
}

finish() {
    local rc=$?
    set +e
    if [[ -n "${CROWFOOT_DBS_DIR:-}" ]]; then
        local t0
        t0=$(now)
        crowfoot_dbs_stop
        PHASES+=("$(printf '%-28s %7ss' "stop servers" "$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')")")
    fi
    printf '\n==> timings\n'
    printf '  %s\n' "${PHASES[@]}"
    printf '  %-28s %7ss\n' "total" "$(awk -v a="$T_ALL" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }')"
    if [[ $rc -eq 0 ]]; then
        echo "test.sh: OK"
    else
        echo "test.sh: FAILED (exit $rc)"
    fi
    exit "$rc"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Node.js runs the official DBML and Mermaid parsers for tests/exports.rs (tests/js; the test
# itself runs `npm ci` when the packages are missing, this phase just does it up front).
install_node() {
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
        if [[ $(id -u) -ne 0 ]]; then
            echo "node/npm are missing and this is not root; install them with: apt-get install nodejs npm" >&2
            return 1
        fi
        echo "installing nodejs npm (apt-get)..."
        { apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends nodejs npm; } >/dev/null
    fi
    node --version
    if [[ ! -d tests/js/node_modules/@dbml/core || ! -d tests/js/node_modules/mermaid || ! -d tests/js/node_modules/jsdom ]]; then
        (cd tests/js && npm ci --no-audit --no-fund --loglevel=error)
    fi
}

# Tools the tests read exports with: poppler-utils (pdftotext, pdftoppm: tests/pdf.rs), chromium
# (the HTML review page's tests) and desktop-file-utils (desktop-file-validate:
# tests/assets.rs). Installed only when missing.
install_tools() {
    local missing=()
    command -v pdftotext >/dev/null 2>&1 && command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
    command -v chromium >/dev/null 2>&1 || missing+=(chromium)
    command -v firefox-esr >/dev/null 2>&1 || missing+=(firefox-esr)
    command -v desktop-file-validate >/dev/null 2>&1 || missing+=(desktop-file-utils)
    if ((${#missing[@]})); then
        if [[ $(id -u) -ne 0 ]]; then
            echo "${missing[*]} missing and this is not root; install with: apt-get install ${missing[*]}" >&2
            return 1
        fi
        echo "installing ${missing[*]} (apt-get)..."
        { apt-get update -qq &&
            DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"; } >/dev/null
    fi
    pdftotext -v 2>&1 | head -1
    chromium --version
    firefox-esr --version
    desktop-file-validate --help >/dev/null 2>&1 && echo "desktop-file-validate present"
}

# The library without the cargo feature `ui` (the studio): it builds, and nothing it depends on
# is egui, eframe or rfd.
build_without_ui() {
    cargo build --no-default-features --lib || return 1
    local tree hits
    tree=$(cargo tree --no-default-features -e normal) || return 1
    hits=$(grep -Ei 'egui|eframe| rfd v' <<<"$tree" || true)
    if [[ -n $hits ]]; then
        printf 'without the ui feature, the library still depends on:\n%s\n' "$hits" >&2
        return 1
    fi
    echo "no egui/eframe/rfd without the ui feature ($(wc -l <<<"$tree") lines of cargo tree)"
}

phase "install servers" crowfoot_dbs_install
phase "install node + parsers" install_node
phase "install tools" install_tools
phase "start servers" crowfoot_dbs_start
export CROWFOOT_REQUIRE_DBS=1
echo "CROWFOOT_PG=$CROWFOOT_PG"
echo "CROWFOOT_MYSQL=$CROWFOOT_MYSQL"

# The checks all run even when one fails, so one run shows every problem; any failure fails
# the script.
failed=()
phase "cargo fmt --check" cargo fmt --all -- --check || failed+=("cargo fmt --check")
phase "cargo clippy" cargo clippy --all-targets -- -D warnings || failed+=("cargo clippy")
phase "build without ui" build_without_ui || failed+=("build without ui")
phase "cargo test" cargo test --all-targets --no-fail-fast || failed+=("cargo test")
if ((${#failed[@]})); then
    printf '\nfailed: %s\n' "${failed[*]}"
    exit 1
fi
