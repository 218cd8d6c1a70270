# shellcheck shell=bash
# The project's own PostgreSQL cluster, used when DATABASE_URL is not set. Sourced by run/test.
#
# Data lives under $KK_DATA_DIR/postgres (kept between runs). PostgreSQL refuses to run as root, so
# the server runs as the `postgres` user; if that user cannot reach the project folder (a clone
# under /root, say), the cluster lives in /var/lib/keikakun/<id of this clone> instead.

pg_bin_dir() {
    local dir
    dir="$(compgen -G '/usr/lib/postgresql/*/bin' | sort -V | tail -n 1)"
    [ -n "$dir" ] || die "PostgreSQL is not installed (run scripts/setup)"
    printf '%s' "$dir"
}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_data_dir() {
    local dir="$KK_DATA_DIR/postgres"
    mkdir -p "$dir"
    if [ "$(id -u)" = 0 ]; then
        chown postgres:postgres "$dir"
        chmod 700 "$dir"
        if ! runuser -u postgres -- test -w "$dir" 2>/dev/null; then
            rmdir "$dir" 2>/dev/null || true
            dir="/var/lib/keikakun/pg-$(printf '%s' "$KK_ROOT" | sha256sum | cut -c1-12)"
            mkdir -p "$dir"
            chown postgres:postgres "$dir" "$(dirname "$dir")"
            chmod 700 "$dir"
        fi
    fi
    printf '%s' "$dir"
}

# Starts the cluster if it is not running (initialising it on first use) and creates the database
# named $1. Prints nothing; sets KK_PG_URL_BASE (no database name).
pg_ensure() {
    local database="$1" bin data pid
    bin="$(pg_bin_dir)"
    data="$(pg_data_dir)"
    KK_PG_URL_BASE="postgres://$KK_PG_USER@127.0.0.1:$KK_PG_PORT"

    if [ ! -f "$data/PG_VERSION" ]; then
        log "postgres: initialising a cluster in $data"
        as_postgres "$bin/initdb" -D "$data" -U "$KK_PG_USER" --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi

    if ! as_postgres "$bin/pg_isready" -q -h "$data" -p "$KK_PG_PORT"; then
        if "$bin/pg_isready" -q -h 127.0.0.1 -p "$KK_PG_PORT"; then
            die "port $KK_PG_PORT is held by another PostgreSQL (another clone's?); stop it or set KK_PG_PORT"
        fi
        # A postmaster.pid left by a crash blocks the start when its pid now belongs to another process.
        if [ -f "$data/postmaster.pid" ]; then
            pid="$(head -n 1 "$data/postmaster.pid")"
            if ! { [ -n "$pid" ] && [ "$(cat "/proc/$pid/comm" 2>/dev/null)" = postgres ]; }; then
                log "postgres: removing a stale postmaster.pid"
                rm -f "$data/postmaster.pid"
            fi
        fi
        log "postgres: starting on 127.0.0.1:$KK_PG_PORT"
        if ! as_postgres "$bin/pg_ctl" -D "$data" -w -t 60 -l "$data/server.log" \
            -o "-c listen_addresses=127.0.0.1 -p $KK_PG_PORT -k $data" start >/dev/null; then
            tail -n 20 "$data/server.log" >&2 || true
            die "PostgreSQL did not start (is port $KK_PG_PORT taken? set KK_PG_PORT)"
        fi
    fi

    pg_create_missing "$database"
}

# Creates database $1 on $KK_PG_URL_BASE unless it exists.
pg_create_missing() {
    local database="$1" bin
    bin="$(pg_bin_dir)"
    if [ "$("$bin/psql" "$KK_PG_URL_BASE/postgres" -tAc "select 1 from pg_database where datname = '$database'")" != 1 ]; then
        "$bin/psql" "$KK_PG_URL_BASE/postgres" -qc "create database \"$database\"" >/dev/null
    fi
}

# For tests: the machine's PostgreSQL on 127.0.0.1:5432 when it answers the `postgres` superuser
# without a password (throwaway databases need nothing else), otherwise the project's own cluster
# (started if needed). Sets KK_PG_URL_BASE and creates database $1.
pg_ensure_for_tests() {
    local database="$1" bin system="postgres://postgres@127.0.0.1:5432"
    bin="$(pg_bin_dir)"
    if PGCONNECT_TIMEOUT=3 "$bin/psql" -w "$system/postgres" -tAc \
        "select rolsuper from pg_roles where rolname = current_user" 2>/dev/null | grep -qx t; then
        log "postgres: using the machine's server on 127.0.0.1:5432"
        KK_PG_URL_BASE="$system"
        pg_create_missing "$database"
    else
        pg_ensure "$database"
    fi
}

# Drops and re-creates database $1 on the server of $2 (a URL without database name).
pg_recreate() {
    local database="$1" base="$2" bin
    bin="$(pg_bin_dir)"
    "$bin/psql" "$base/postgres" -qc "drop database if exists \"$database\" with (force)" >/dev/null
    "$bin/psql" "$base/postgres" -qc "create database \"$database\"" >/dev/null
}
