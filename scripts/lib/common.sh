# shellcheck shell=bash
# Shared helpers for the scripts in scripts/. Source it, don't run it:
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib/common.sh"
#
# Every message goes to stderr, so that stdout carries only what a caller may
# capture (a URL, a bootstrap address): `url=$(scripts/postgres url)`.

# The tag in front of each message; a script sets it to its own name.
MYSTORE_LOG_TAG=${MYSTORE_LOG_TAG:-mystore}

log() { printf '[%s] %s\n' "$MYSTORE_LOG_TAG" "$*" >&2; }
warn() { printf '[%s] warning: %s\n' "$MYSTORE_LOG_TAG" "$*" >&2; }
die() {
    printf '[%s] error: %s\n' "$MYSTORE_LOG_TAG" "$*" >&2
    exit 1
}

# is_root: true when running as root (as CI does).
is_root() { [[ $EUID -eq 0 ]]; }

# as_root CMD...: run CMD as root, through sudo when we are not root already.
as_root() {
    if is_root; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        die "need root to run '$*' (and sudo is not installed)"
    fi
}

# apt_install PKG...: install Debian packages, running `apt-get update` at most
# once per script run. The lock timeout lets two scripts started side by side
# (say postgres and kafka) wait for each other instead of failing on dpkg's lock.
_MYSTORE_APT_UPDATED=
apt_install() {
    command -v apt-get >/dev/null 2>&1 ||
        die "apt-get not found: install $* yourself (this script knows only Debian/Ubuntu)"
    local apt=(env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300)
    if [[ -z $_MYSTORE_APT_UPDATED ]]; then
        log "apt-get update"
        as_root "${apt[@]}" update >&2 || die "apt-get update failed"
        _MYSTORE_APT_UPDATED=1
    fi
    log "apt-get install $*"
    # </dev/null: CI has no stdin, and nothing here may wait for an answer.
    as_root "${apt[@]}" install -y --no-install-recommends "$@" </dev/null >&2 ||
        die "apt-get install $* failed"
}

# port_open HOST PORT: true when something accepts TCP connections there.
# Bash's /dev/tcp pseudo-file needs no extra tool (nc, ss) on the machine.
port_open() {
    timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# wait_until TIMEOUT_S WHAT CMD...: run CMD every 0.2 s until it succeeds.
# Returns 1 after TIMEOUT_S seconds. If the variable WAIT_PID is set and that
# process dies meanwhile, gives up at once (no point waiting for a corpse).
wait_until() {
    local timeout=$1 what=$2
    shift 2
    local deadline=$((SECONDS + timeout))
    until "$@"; do
        if [[ -n ${WAIT_PID:-} ]] && ! kill -0 "$WAIT_PID" 2>/dev/null; then
            warn "process $WAIT_PID exited while waiting for $what"
            return 1
        fi
        if ((SECONDS >= deadline)); then
            warn "timed out after ${timeout}s waiting for $what"
            return 1
        fi
        sleep 0.2
    done
}

# proc_alive PID: true when process PID exists and is not a zombie. A server
# that died but was not yet reaped (some container init processes reap late)
# still answers `kill -0`, so we look at its state in /proc too.
proc_alive() {
    [[ $1 =~ ^[0-9]+$ ]] && kill -0 "$1" 2>/dev/null || return 1
    local stat
    stat=$(<"/proc/$1/stat") 2>/dev/null || return 1
    stat=${stat##*) } # the state letter follows "(command name) "
    [[ ${stat:0:1} != Z ]]
}

# pid_alive PIDFILE PATTERN: true when PIDFILE names a live process whose
# command line contains PATTERN. Checking the command line guards against a
# stale pid file whose number the kernel has since given to another process.
pid_alive() {
    local pidfile=$1 pattern=$2 pid cmdline
    [[ -s $pidfile ]] || return 1
    pid=$(<"$pidfile")
    proc_alive "$pid" || return 1
    # The arguments in /proc/PID/cmdline are separated by NUL bytes.
    cmdline=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
    [[ $cmdline == *"$pattern"* ]]
}

# with_lock LOCKFILE: hold an exclusive lock on LOCKFILE until the script
# exits, so that two concurrent `start`s (e.g. parallel test runs) do not both
# try to initialise the same data directory. Waits up to 5 minutes (a first
# run may be busy installing or downloading).
# The lock lives on file descriptor 9. A server started while we hold it must
# not inherit that descriptor (start it with `9>&-`), or the server would
# keep the lock for as long as it runs and every later call would hang.
with_lock() {
    exec 9>"$1"
    flock -w 300 9 || die "could not lock $1 (is another start/stop stuck?)"
}

# tail_log FILE [N]: print the last N lines of a log to stderr, indented, to
# show why something failed to start.
tail_log() {
    [[ -f $1 ]] || return 0
    warn "last lines of $1:"
    tail -n "${2:-30}" "$1" | sed 's/^/    /' >&2
}

# Run as the `postgres` OS user. The PostgreSQL server refuses to run as root,
# so when we are root we switch users with runuser (util-linux, always there
# on Debian, and unlike su it needs no PAM session or password). When we are
# not root we already are an ordinary user, and just run the command.
run_as_postgres() {
    if is_root; then
        # cd /: the postgres user may not be allowed into our current directory
        # (/root), and initdb/pg_ctl complain when they cannot stat it.
        (cd / && runuser -u postgres -- "$@")
    else
        "$@"
    fi
}
