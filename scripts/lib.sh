# shellcheck shell=bash
# Common settings for the project's scripts. Sourced, never run.
#
# Everything slow to rebuild lives outside the clone, in fixed folders, so a fresh clone (and CI)
# reuses it: the cargo target dir, installed tools and the npm cache under $KK_CACHE.

set -euo pipefail

KK_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
KK_CACHE="${KK_CACHE:-/var/cache/keikakun}"
KK_TOOLS="$KK_CACHE/tools"
KK_DATA_DIR="${KK_DATA_DIR:-$KK_ROOT/data}"
KK_PG_PORT="${KK_PG_PORT:-54329}"
KK_PG_USER="keikakun"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$KK_CACHE/target}"
export npm_config_cache="${npm_config_cache:-$KK_CACHE/npm}"
export npm_config_update_notifier=false
export npm_config_fund=false
export npm_config_audit=false
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
# Debian's rustc-web/cargo-web (with rust-src for -Zbuild-std) must win over rustup's, so that one
# compiler builds both the server and the WASM (mixing them rebuilds everything).
export PATH="/usr/bin:$KK_TOOLS/bin:$KK_TOOLS/node_modules/.bin:$PATH"
export RUSTC_BOOTSTRAP=1
# Queries are checked against the committed .sqlx/ data; only `scripts/sqlx-prepare` needs a database.
export SQLX_OFFLINE=true

# Elapsed time is counted from the first script of a run (run/test call setup and build).
export KK_T0="${KK_T0:-$(date +%s)}"
log() {
    local t=$(($(date +%s) - KK_T0))
    printf '\033[1;34m==> [%02d:%02d] %s\033[0m\n' $((t / 60)) $((t % 60)) "$*" >&2
}
die() { printf '\033[1;31merror:\033[0m %s\n' "$*" >&2; exit 1; }

# The version of a package as Cargo.lock pins it.
locked_version() {
    awk -v name="$1" '$0 == "name = \"" name "\"" { getline; gsub(/version = |"/, ""); print; exit }' \
        "$KK_ROOT/Cargo.lock"
}

# Starts MailDev (SMTP on $1, web UI and REST API on $2) unless something already listens on $1.
maildev_ensure() {
    local smtp="$1" web="$2"
    if (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null; then
        return 0
    fi
    log "maildev: SMTP 127.0.0.1:$smtp, mail viewer http://127.0.0.1:$web"
    nohup "$KK_TOOLS/maildev/node_modules/.bin/maildev" --ip 127.0.0.1 --smtp "$smtp" --web "$web" \
        >"$KK_CACHE/maildev-$smtp.log" 2>&1 &
    for _ in $(seq 1 50); do
        (exec 3<>"/dev/tcp/127.0.0.1/$smtp") 2>/dev/null && return 0
        sleep 0.2
    done
    die "maildev did not start (see $KK_CACHE/maildev-$smtp.log)"
}
