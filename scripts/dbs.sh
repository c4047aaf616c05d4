#!/usr/bin/env bash
# Private PostgreSQL and MariaDB servers for Crowfoot's engine tests.
#
# Source it and call the functions:
#
#     source scripts/dbs.sh
#     crowfoot_dbs_install   # apt-get install the servers when missing (root only)
#     crowfoot_dbs_start     # start both; exports CROWFOOT_PG, CROWFOOT_MYSQL, CROWFOOT_DBS_DIR
#     cargo test --test export_engines
#     crowfoot_dbs_stop      # stop both and remove the temporary directory
#
# or run it as a command from an interactive shell:
#
#     eval "$(scripts/dbs.sh start)"   # installs if needed, starts, prints `export ...` lines
#     scripts/dbs.sh stop              # uses CROWFOOT_DBS_DIR from the environment
#
# Both servers live in one `mktemp -d` directory, listen on 127.0.0.1 only, on free
# non-default ports (first free from 55432 / 53306, or CROWFOOT_PG_PORT / CROWFOOT_MYSQL_PORT),
# with durability switched off (test data only). The system services are never used.
# PostgreSQL: user `postgres`, trust authentication (except for members of the role
# `crowfoot_password_users`, who need their password over TCP). MariaDB: user `root`, empty
# password.

# Log to stderr so that `eval "$(scripts/dbs.sh start)"` only sees the export lines.
_cf_log() { printf 'dbs: %s\n' "$*" >&2; }

# Newest installed PostgreSQL server binary directory, or nothing.
_cf_pg_bindir() {
    local d
    d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [[ -n "$d" && -x "$d/initdb" && -x "$d/pg_ctl" ]]; then
        printf '%s\n' "$d"
    fi
}

_cf_mariadbd() {
    local c
    for c in mariadbd /usr/sbin/mariadbd mysqld /usr/sbin/mysqld; do
        if command -v "$c" >/dev/null 2>&1; then
            command -v "$c"
            return 0
        fi
    done
    return 1
}

# The hypopg extension of the newest installed PostgreSQL (hypothetical indexes, for
# `crowfoot indexes --engine postgres`): its control file.
_cf_have_hypopg() {
    local d
    d=$(_cf_pg_bindir) || return 1
    [[ -n "$d" ]] || return 1
    local v
    v=$(basename "$(dirname "$d")")
    [[ -f /usr/share/postgresql/$v/extension/hypopg.control ]]
}

_cf_have_all() {
    [[ -n "$(_cf_pg_bindir)" ]] &&
        _cf_have_hypopg &&
        _cf_mariadbd >/dev/null &&
        command -v mariadb-install-db >/dev/null 2>&1 &&
        command -v mariadb >/dev/null 2>&1 &&
        command -v mariadb-dump >/dev/null 2>&1 &&
        command -v psql >/dev/null 2>&1 &&
        command -v pg_dump >/dev/null 2>&1
}

# Install PostgreSQL and MariaDB from Debian's packages when any piece is missing. The clients
# (psql, pg_dump from postgresql-client; mariadb, mariadb-dump from mariadb-client) are needed
# by the tests and by `crowfoot import postgres://...` / `mysql://...`.
crowfoot_dbs_install() {
    if _cf_have_all; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        _cf_log "PostgreSQL/MariaDB server binaries are missing and this is not root;"
        _cf_log "install them with: apt-get install postgresql postgresql-client postgresql-15-hypopg mariadb-server mariadb-client"
        return 1
    fi
    _cf_log "installing postgresql postgresql-client mariadb-server mariadb-client (apt-get)..."
    local log
    log=$(mktemp)
    if ! { apt-get update -qq &&
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
            postgresql postgresql-client mariadb-server mariadb-client; } >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        rm -f "$log"
        _cf_log "apt-get install failed"
        return 1
    fi
    # hypopg for the installed server's major version (postgresql-15-hypopg on Debian 12).
    local major
    major=$(basename "$(dirname "$(_cf_pg_bindir)")")
    if ! _cf_have_hypopg && ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
        --no-install-recommends "postgresql-$major-hypopg" >"$log" 2>&1; then
        tail -n 40 "$log" >&2
        rm -f "$log"
        _cf_log "apt-get install postgresql-$major-hypopg failed"
        return 1
    fi
    rm -f "$log"
    if ! _cf_have_all; then
        _cf_log "packages installed but initdb/pg_ctl/mariadbd/mariadb-install-db/psql/pg_dump/mariadb/mariadb-dump still missing"
        return 1
    fi
}

# True when something accepts TCP connections on 127.0.0.1:$1.
_cf_port_busy() {
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_cf_free_port() {
    local p=$1 end=$(($1 + 200))
    while ((p < end)); do
        if ! _cf_port_busy "$p"; then
            printf '%s\n' "$p"
            return 0
        fi
        p=$((p + 1))
    done
    _cf_log "no free port in $1..$end"
    return 1
}

# Run a command as the postgres OS user when we are root (initdb and postgres refuse root).
_cf_as_pg() {
    if [[ $(id -u) -eq 0 ]]; then
        if command -v runuser >/dev/null 2>&1; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

_cf_start_pg() {
    local dir=$1 port=$2 bindir
    bindir=$(_cf_pg_bindir)
    mkdir -p "$dir/pg" "$dir/pgsock"
    if [[ $(id -u) -eq 0 ]]; then
        chown postgres: "$dir/pg" "$dir/pgsock"
    fi
    if ! _cf_as_pg "$bindir/initdb" -D "$dir/pg/data" -U postgres -A trust -E UTF8 \
        --locale=C --no-sync >"$dir/pg/initdb.log" 2>&1; then
        cat "$dir/pg/initdb.log" >&2
        _cf_log "PostgreSQL initdb failed"
        return 1
    fi
    # Members of crowfoot_password_users (the password tests' roles) must give their password
    # over TCP; everyone else is trusted.
    sed -i '1i host all +crowfoot_password_users 127.0.0.1/32 scram-sha-256' \
        "$dir/pg/data/pg_hba.conf"
    # -w waits until the server accepts connections (at most -t seconds).
    if ! _cf_as_pg "$bindir/pg_ctl" -D "$dir/pg/data" -l "$dir/pg/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir/pgsock -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >"$dir/pg/pg_ctl.log" 2>&1; then
        cat "$dir/pg/pg_ctl.log" "$dir/pg/server.log" >&2 2>/dev/null
        _cf_log "PostgreSQL did not start on 127.0.0.1:$port"
        return 1
    fi
    local i
    for ((i = 0; i < 120; i++)); do
        if psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c 'select 1' \
            >/dev/null 2>&1; then
            psql -X -q -h 127.0.0.1 -p "$port" -U postgres -d postgres \
                -c 'CREATE ROLE crowfoot_password_users NOLOGIN' >/dev/null
            return 0
        fi
        sleep 0.5
    done
    cat "$dir/pg/server.log" >&2 2>/dev/null
    _cf_log "timed out waiting for PostgreSQL on 127.0.0.1:$port"
    return 1
}

_cf_start_mariadb() {
    local dir=$1 port=$2 mariadbd
    local -a as_user=()
    mariadbd=$(_cf_mariadbd)
    mkdir -p "$dir/my"
    # As root, run the server as root (its files stay in our temporary directory); otherwise
    # it runs as the current user anyway.
    if [[ $(id -u) -eq 0 ]]; then
        as_user=(--user=root)
    fi
    if ! mariadb-install-db --no-defaults --datadir="$dir/my/data" "${as_user[@]}" \
        --auth-root-authentication-method=normal --skip-test-db --skip-name-resolve \
        >"$dir/my/install.log" 2>&1; then
        cat "$dir/my/install.log" >&2
        _cf_log "mariadb-install-db failed"
        return 1
    fi
    "$mariadbd" --no-defaults --datadir="$dir/my/data" --socket="$dir/my/mysqld.sock" \
        --port="$port" --bind-address=127.0.0.1 "${as_user[@]}" \
        --pid-file="$dir/my/mysqld.pid" --log-error="$dir/my/server.log" \
        --skip-name-resolve --skip-log-bin --character-set-server=utf8mb4 \
        --collation-server=utf8mb4_general_ci --innodb-buffer-pool-size=128M \
        --innodb-flush-log-at-trx-commit=0 --innodb-doublewrite=0 --max-connections=200 \
        </dev/null >/dev/null 2>&1 &
    echo $! >"$dir/my/launcher.pid"
    local i
    for ((i = 0; i < 120; i++)); do
        if mariadb --no-defaults -h 127.0.0.1 -P "$port" -u root -e 'select 1' \
            >/dev/null 2>&1; then
            return 0
        fi
        if ! kill -0 "$(cat "$dir/my/launcher.pid")" 2>/dev/null; then
            cat "$dir/my/server.log" >&2 2>/dev/null
            _cf_log "MariaDB exited during startup"
            return 1
        fi
        sleep 0.5
    done
    cat "$dir/my/server.log" >&2 2>/dev/null
    _cf_log "timed out waiting for MariaDB on 127.0.0.1:$port"
    return 1
}

# Start both servers in a new temporary directory and export the variables the tests read.
crowfoot_dbs_start() {
    crowfoot_dbs_install || return 1
    local dir pg_port my_port
    dir=$(mktemp -d "${TMPDIR:-/tmp}/crowfoot-dbs.XXXXXX") || return 1
    # The postgres user must be able to reach its subdirectory.
    chmod 755 "$dir"
    export CROWFOOT_DBS_DIR=$dir
    pg_port=$(_cf_free_port "${CROWFOOT_PG_PORT:-55432}") || return 1
    my_port=$(_cf_free_port "${CROWFOOT_MYSQL_PORT:-53306}") || return 1
    _cf_start_pg "$dir" "$pg_port" || return 1
    _cf_log "PostgreSQL $("$(_cf_pg_bindir)/postgres" --version | awk '{print $3}') on 127.0.0.1:$pg_port"
    _cf_start_mariadb "$dir" "$my_port" || return 1
    _cf_log "MariaDB $(mariadb --no-defaults -h 127.0.0.1 -P "$my_port" -u root -N -B -e 'select version()') on 127.0.0.1:$my_port"
    export CROWFOOT_PG="host=127.0.0.1 port=$pg_port user=postgres"
    export CROWFOOT_MYSQL="host=127.0.0.1 port=$my_port user=root"
}

# Stop both servers started by crowfoot_dbs_start (by their pids) and remove the directory.
crowfoot_dbs_stop() {
    local dir=${1:-${CROWFOOT_DBS_DIR:-}}
    if [[ -z "$dir" || ! -d "$dir" ]]; then
        return 0
    fi
    if [[ -f "$dir/pg/data/postmaster.pid" ]]; then
        local bindir
        bindir=$(_cf_pg_bindir)
        _cf_as_pg "$bindir/pg_ctl" -D "$dir/pg/data" -m immediate -w -t 30 stop \
            >/dev/null 2>&1 || true
    fi
    local pid=""
    if [[ -f "$dir/my/mysqld.pid" ]]; then
        pid=$(cat "$dir/my/mysqld.pid")
    elif [[ -f "$dir/my/launcher.pid" ]]; then
        pid=$(cat "$dir/my/launcher.pid")
    fi
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        local i=0
        while ((i < 60)) && kill -0 "$pid" 2>/dev/null; do
            sleep 0.5
            i=$((i + 1))
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -rf "$dir"
    if [[ "${CROWFOOT_DBS_DIR:-}" == "$dir" ]]; then
        unset CROWFOOT_DBS_DIR CROWFOOT_PG CROWFOOT_MYSQL
    fi
}

# Used as a command rather than sourced.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    set -euo pipefail
    case "${1:-}" in
    install)
        crowfoot_dbs_install
        ;;
    start)
        if ! crowfoot_dbs_start; then
            crowfoot_dbs_stop
            exit 1
        fi
        printf 'export CROWFOOT_DBS_DIR=%q CROWFOOT_PG=%q CROWFOOT_MYSQL=%q\n' \
            "$CROWFOOT_DBS_DIR" "$CROWFOOT_PG" "$CROWFOOT_MYSQL"
        ;;
    stop)
        crowfoot_dbs_stop "${2:-}"
        ;;
    *)
        echo "usage: scripts/dbs.sh install|start|stop [DIR]  (or source it)" >&2
        exit 2
        ;;
    esac
fi
