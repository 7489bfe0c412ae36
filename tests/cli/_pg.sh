# _pg.sh: a throwaway PostgreSQL cluster for the CLI test scripts (sourced
# after _common.sh, not run): initdb, a server on 127.0.0.1 and a free port
# with fsync off, databases made with createdb; stopped and removed by pg_stop.

# pg_find NAME: sets PGBIN to the newest installed server's programs; where
# there is none, the suite NAME skips (an `ok NAME # skip` line, exit 0).
pg_find() {
    PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$PGBIN" ] || [ ! -x "$PGBIN/initdb" ]; then
        echo "ok $1 # skip: no PostgreSQL server installed (tools/install-deps.sh installs it)"
        exit 0
    fi
}

# The server refuses to run as root: it runs as postgres then.
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# pg_start NAME [DB...]: starts a cluster (user dyad, no password) and makes
# the databases DB...; sets PGDIR (its folder) and PGURL
# (postgresql://dyad@127.0.0.1:PORT, no database). On failure prints
# `not ok NAME-server-start` with the logs' last lines and exits 0. The
# caller's EXIT trap must run pg_stop, set before this.
pg_start() {
    local name=$1 db failed=
    shift
    PGDIR=$(mktemp -d "${TMPDIR:-/tmp}/dyad-pg.XXXXXX")
    [ "$(id -u)" -eq 0 ] && chown postgres "$PGDIR"
    PG_PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PGURL=postgresql://dyad@127.0.0.1:$PG_PORT
    as_pg "$PGBIN/initdb" -D "$PGDIR/data" -A trust -U dyad >"$PGDIR/initdb.log" 2>&1 &&
        as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
            -o "-h 127.0.0.1 -p $PG_PORT -k $PGDIR -c fsync=off" start >/dev/null 2>&1 ||
        failed=yes
    for db in "$@"; do
        [ -z "$failed" ] && ! pg_createdb "$db" && failed=yes
    done
    [ -z "$failed" ] && return 0
    echo "not ok $name-server-start"
    tail -n 20 "$PGDIR/initdb.log" "$PGDIR/server.log" 2>/dev/null | sed 's/^/#   /'
    exit 0
}

# pg_createdb DB: makes the database DB in the cluster.
pg_createdb() {
    "$PGBIN/createdb" -h 127.0.0.1 -p "$PG_PORT" -U dyad "$1" >/dev/null 2>&1
}

# pg_stop: stops the cluster at once (its data is thrown away) and removes
# its folder; does nothing before pg_start.
pg_stop() {
    [ -n "${PGDIR:-}" ] || return 0
    as_pg "$PGBIN/pg_ctl" -D "$PGDIR/data" -m immediate stop >/dev/null 2>&1
    rm -rf "$PGDIR"
    PGDIR=
}
