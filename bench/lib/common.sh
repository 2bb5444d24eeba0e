# Shared by bench/run.sh, bench/syscalls.sh and bench/profile.sh: paths,
# package install, the release build, the docroot, one config file per server
# and starting/stopping a server. Sourced, not run.
#
# Every server listens on 127.0.0.1 only, on its own port, and is started in
# the foreground in its own session (setsid) so that it and all its children
# can be stopped by its process group id.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
REPO_DIR=$(cd "$BENCH_DIR/.." && pwd)
WORK="$BENCH_DIR/work"
PREFIX="$WORK/prefix"
DOCROOT="$WORK/docroot"
# bench/syscalls.sh and bench/profile.sh use their own: they may run while
# bench/run.sh does.
CONFDIR=${BENCH_CONFDIR:-$WORK/conf}
BUILD="$BENCH_DIR/build"
HELLO_SO="$WORK/mod_bench_hello.so"
APACHE_BIN=/usr/sbin/apache2
APACHE_MODULES=/usr/lib/apache2/modules
NGINX_BIN=/usr/sbin/nginx
PY=/usr/bin/python3
[ -x "$PY" ] || PY=python3

# CPU of the server and of the load generator.
SERVER_CPU=${BENCH_SERVER_CPU:-0}
CLIENT_CPU=${BENCH_CLIENT_CPU:-1}
# Both run above the default priority (nice -10): other work on the machine
# (builds, tests) perturbs the figures less. BENCH_NICE=0 disables.
BENCH_NICE=${BENCH_NICE:--10}

# name -> port, all on 127.0.0.1 (BENCH_PORT_OFFSET moves them all)
_po=${BENCH_PORT_OFFSET:-0}
declare -A PORT=(
    [mh-prefork]=$((18101 + _po)) [mh-worker]=$((18102 + _po)) [mh-event]=$((18107 + _po))
    [ap-prefork]=$((18103 + _po)) [ap-worker]=$((18104 + _po)) [ap-event]=$((18105 + _po))
    [nginx]=$((18106 + _po))
)
declare -A LABEL=(
    [mh-prefork]="modhttpd prefork" [mh-worker]="modhttpd worker" [mh-event]="modhttpd event"
    [ap-prefork]="Apache prefork" [ap-worker]="Apache worker" [ap-event]="Apache event"
    [nginx]="nginx"
)
ALL_SERVERS="mh-prefork mh-worker mh-event ap-prefork ap-worker ap-event nginx"

log() { printf '[bench %(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "error: $*"; exit 1; }

# fsub A B [FORMAT]: A - B for decimal numbers.
fsub() { awk -v a="$1" -v b="$2" -v f="${3:-%.3f}" 'BEGIN { printf f, a - b }'; }

nice_prefix() {
    if [ "${BENCH_NICE:-0}" != 0 ]; then echo "nice -n $BENCH_NICE"; fi
}

# "${OWN_GROUP[@]}" cmd...: runs cmd (exec, same pid) in a new session whose
# scheduler autogroup gets BENCH_NICE. With kernel.sched_autogroup_enabled=1
# (Debian's default) a process's nice value only counts inside its session's
# group: the groups share the CPU as equals. So the priority is given to the
# group: the server (master and all its children) as a whole, and wrk.
OWN_GROUP=(setsid sh -c '[ "$0" = 0 ] || echo "$0" >/proc/$$/autogroup 2>/dev/null; exec "$@"' "${BENCH_NICE:-0}")

# --- packages -----------------------------------------------------------
# Installs what is missing without letting the packages start their system
# services (they would hold ports 80 and 8080): a policy-rc.d answering 101
# for the time of the install, and whatever got started anyway is stopped.
ensure_packages() {
    local want=() p
    for p in "$@"; do
        case $p in
            apache2) [ -x "$APACHE_BIN" ] && [ -e "$APACHE_MODULES/mod_mpm_event.so" ] || want+=(apache2) ;;
            nginx) [ -x "$NGINX_BIN" ] || want+=(nginx) ;;
            gnuplot-nox) command -v gnuplot >/dev/null || want+=(gnuplot-nox) ;;
            apache2-utils) command -v ab >/dev/null || want+=(apache2-utils) ;;
            *) command -v "$p" >/dev/null || want+=("$p") ;;
        esac
    done
    [ ${#want[@]} -eq 0 ] && return 0
    log "installing: ${want[*]}"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo=sudo
    local made_policy=0
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\n# bench/lib/common.sh: no service starts during the install\nexit 101\n' |
            $sudo tee /usr/sbin/policy-rc.d >/dev/null
        $sudo chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    local rc=0
    mkdir -p "$WORK"  # a fresh tree has no work directory yet: the log goes there
    $sudo apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${want[@]}" >"$WORK/apt.log" 2>&1 || rc=$?
    [ $made_policy -eq 1 ] && $sudo rm -f /usr/sbin/policy-rc.d
    [ $rc -eq 0 ] || die "apt-get install ${want[*]} failed (see $WORK/apt.log)"
    stop_system_services
}

# If the packages' own services run anyway (a machine with a working init),
# stop them: they are not part of the benchmark.
stop_system_services() {
    local svc pidf pid
    for svc in apache2 nginx; do
        if command -v systemctl >/dev/null && systemctl is-active --quiet "$svc" 2>/dev/null; then
            systemctl stop "$svc" 2>/dev/null || true
        fi
    done
    for pidf in /var/run/apache2/apache2.pid /run/apache2/apache2.pid /run/nginx.pid /var/run/nginx.pid; do
        [ -r "$pidf" ] || continue
        pid=$(cat "$pidf" 2>/dev/null) || continue
        case $pid in '' | *[!0-9]*) continue ;; esac
        if kill -0 "$pid" 2>/dev/null; then
            log "stopping the system service started by the package (pid $pid from $pidf)"
            kill -TERM "$pid" 2>/dev/null || true
        fi
    done
}

# --- modhttpd release build ---------------------------------------------
build_modhttpd() {
    mkdir -p "$WORK"
    if [ ! -f "$BUILD/build.ninja" ]; then
        log "meson setup $BUILD (release)"
        meson setup "$BUILD" "$REPO_DIR" -Dbuildtype=release -Db_ndebug=true -Dtests=false \
            --prefix="$PREFIX" >"$WORK/meson-setup.log" 2>&1 ||
            die "meson setup failed (see $WORK/meson-setup.log)"
    fi
    log "ninja -C $BUILD"
    if ninja -C "$BUILD" >"$WORK/ninja.log" 2>&1 && meson install -C "$BUILD" --quiet >>"$WORK/ninja.log" 2>&1; then
        :
    elif [ -x "$PREFIX/bin/modhttpd" ]; then
        log "warning: the build failed (see $WORK/ninja.log); using the previous install in $PREFIX"
    else
        die "the build failed (see $WORK/ninja.log)"
    fi
    local m
    for m in mod_mpm_prefork.so mod_mpm_worker.so mod_mpm_event.so mod_static.so mod_authz_core.so; do
        [ -f "$PREFIX/modules/$m" ] || die "$PREFIX/modules/$m is missing: is it built yet?"
    done
    cc -shared -fPIC -O2 -std=c99 -Wall -Wextra -I "$REPO_DIR/include" \
        -o "$HELLO_SO" "$BENCH_DIR/modules/mod_bench_hello.c" || die "mod_bench_hello.c does not build"
}

# --- docroot --------------------------------------------------------------
# 1k.txt (1 KiB), 64k.bin (64 KiB), 1m.bin (1 MiB), and `hello`: the same
# bytes as 1k.txt (and as mod_bench_hello's body), served as a file by the
# servers without an in-memory handler.
make_docroot() {
    mkdir -p "$DOCROOT"
    "$PY" - "$DOCROOT" <<'EOF'
import os, sys
root = sys.argv[1]
alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789"
def text(n):
    b = bytearray(alphabet[i % 36] if i % 64 != 63 else 10 for i in range(n))
    b[-1] = 10
    return bytes(b)
files = {"1k.txt": text(1024), "hello": text(1024), "64k.bin": text(64 * 1024), "1m.bin": text(1024 * 1024)}
for name, data in files.items():
    p = os.path.join(root, name)
    if not os.path.exists(p) or open(p, "rb").read() != data:
        with open(p, "wb") as f:
            f.write(data)
EOF
    chmod 755 "$WORK" "$DOCROOT"
    chmod 644 "$DOCROOT"/*
}

# The 1 KiB body as an nginx string: "\n" escapes for the newlines.
hello_nginx_string() {
    "$PY" -c 'import sys; d=open(sys.argv[1]).read(); print(d.replace("\n", "\\n"), end="")' "$DOCROOT/hello"
}

# --- configuration files ----------------------------------------------------
# write_config NAME [profile]: writes $CONFDIR/NAME/<conf> and prints its path.
# profile "bench" (default): pools sized for 1,000 connections;
# "small": a few processes (syscall counting, profiling).
write_config() {
    local name=$1 profile=${2:-bench}
    local dir="$CONFDIR/$name" port=${PORT[$1]}
    mkdir -p "$dir/logs"
    chmod 755 "$CONFDIR" "$dir"
    case $name in
        mh-*) write_modhttpd_config "$name" "$profile" "$dir" "$port" ;;
        ap-*) write_apache_config "$name" "$profile" "$dir" "$port" ;;
        nginx) write_nginx_config "$profile" "$dir" "$port" ;;
        *) die "unknown server $name" ;;
    esac
}

# Pool sizes. prefork: 1,100 processes started up front (1,000 connections
# each need one; Apache's and modhttpd's prefork spawn at most 32 a second,
# too slowly for a 10 s run otherwise), none reaped while idle.
# worker/event: 18 processes x 64 threads = 1,152 threads, all started
# (Apache's event gives a thread to each connection it reads or writes).
# modhttpd's event ("event-loop"): one process of 32 threads, as nginx's one
# worker process: its loop holds the connections, the static files and the
# in-memory handler are served on it, the threads are for blocking hooks.
mpm_block() {
    local mpm=$1 profile=$2
    if [ "$mpm" = event-loop ]; then
        printf '%s\n' "StartServers 1" "ServerLimit 16" "ThreadLimit 64" "ThreadsPerChild 32" \
            "MinSpareThreads 16" "MaxSpareThreads 512" "MaxRequestWorkers 512" "MaxConnectionsPerChild 0"
        return
    fi
    if [ "$profile" = small ]; then
        case $mpm in
            prefork) printf '%s\n' "StartServers 2" "MinSpareServers 1" "MaxSpareServers 4" \
                "ServerLimit 16" "MaxRequestWorkers 16" "MaxConnectionsPerChild 0" ;;
            *) printf '%s\n' "StartServers 1" "ServerLimit 2" "ThreadLimit 64" "ThreadsPerChild 8" \
                "MinSpareThreads 1" "MaxSpareThreads 16" "MaxRequestWorkers 16" "MaxConnectionsPerChild 0" ;;
        esac
        return
    fi
    case $mpm in
        prefork) printf '%s\n' "StartServers 1100" "MinSpareServers 32" "MaxSpareServers 1100" \
            "ServerLimit 1100" "MaxRequestWorkers 1100" "MaxConnectionsPerChild 0" ;;
        *) printf '%s\n' "StartServers 18" "ServerLimit 18" "ThreadLimit 64" "ThreadsPerChild 64" \
            "MinSpareThreads 64" "MaxSpareThreads 1152" "MaxRequestWorkers 1152" "MaxConnectionsPerChild 0" ;;
    esac
}

# The directives every server gets the same: keep-alive on with (practically)
# no request limit, the default 5 s keep-alive timeout, no access log,
# sendfile, symlinks followed (no lstat per path component), no .htaccess.
write_modhttpd_config() {
    local name=$1 profile=$2 dir=$3 port=$4 mpm=${1#mh-}
    cat >"$dir/modhttpd.conf" <<EOF
# Written by bench/lib/common.sh: modhttpd, mpm_$mpm, profile $profile.
ServerRoot "$PREFIX"
Listen 127.0.0.1:$port
LoadModule mpm_${mpm}_module modules/mod_mpm_${mpm}.so
LoadModule authz_core_module modules/mod_authz_core.so
LoadModule static_module modules/mod_static.so
LoadModule bench_hello_module "$HELLO_SO"
<IfModule mpm_${mpm}_module>
$(mpm_block "$([ "$mpm" = event ] && echo event-loop || echo "$mpm")" "$profile")
</IfModule>
User www-data
Group www-data
ServerName 127.0.0.1:$port
DocumentRoot "$DOCROOT"
<Directory "/">
    Require all denied
</Directory>
<Directory "$DOCROOT">
    Options FollowSymLinks
    Require all granted
</Directory>
<Location "/hello">
    SetHandler bench-hello
</Location>
DirectoryIndex index.html
ErrorLog "$dir/logs/error_log"
LogLevel warn
PidFile "$dir/logs/modhttpd.pid"
TypesConfig "etc/mime.types"
Timeout 60
KeepAlive On
MaxKeepAliveRequests 1000000
KeepAliveTimeout 5
# (modhttpd always sends files with sendfile(2) above its small-file size;
# it has no EnableSendfile directive.) No CustomLog: no access log.
EOF
    echo "$dir/modhttpd.conf"
}

write_apache_config() {
    local name=$1 profile=$2 dir=$3 port=$4 mpm=${1#ap-}
    cat >"$dir/apache2.conf" <<EOF
# Written by bench/lib/common.sh: Apache httpd, mpm_$mpm, profile $profile.
ServerRoot "$dir"
DefaultRuntimeDir "$dir/logs"
PidFile "$dir/logs/apache2.pid"
Listen 127.0.0.1:$port
LoadModule mpm_${mpm}_module $APACHE_MODULES/mod_mpm_${mpm}.so
LoadModule authz_core_module $APACHE_MODULES/mod_authz_core.so
LoadModule mime_module $APACHE_MODULES/mod_mime.so
<IfModule mpm_${mpm}_module>
$(mpm_block "$mpm" "$profile")
</IfModule>
User www-data
Group www-data
ServerName 127.0.0.1:$port
DocumentRoot "$DOCROOT"
<Directory "/">
    Options FollowSymLinks
    AllowOverride None
    Require all denied
</Directory>
<Directory "$DOCROOT">
    Options FollowSymLinks
    AllowOverride None
    Require all granted
</Directory>
ErrorLog "$dir/logs/error_log"
LogLevel warn
TypesConfig /etc/mime.types
Timeout 60
KeepAlive On
MaxKeepAliveRequests 1000000
KeepAliveTimeout 5
EnableSendfile On
EnableMMAP On
HostnameLookups Off
# No CustomLog/TransferLog: no access log.
EOF
    echo "$dir/apache2.conf"
}

write_nginx_config() {
    local profile=$1 dir=$2 port=$3
    mkdir -p "$dir/tmp"
    cat >"$dir/nginx.conf" <<EOF
# Written by bench/lib/common.sh: nginx, profile $profile.
# One worker: the server side of the benchmark has one CPU.
worker_processes 1;
user www-data;
pid $dir/logs/nginx.pid;
error_log $dir/logs/error.log warn;
worker_rlimit_nofile 8192;
events {
    worker_connections 4096;
}
http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    keepalive_timeout 5;
    keepalive_requests 1000000;
    server_tokens on;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    server {
        listen 127.0.0.1:$port;
        server_name 127.0.0.1;
        root $DOCROOT;
        # The trivial handler: the same 1 KiB from memory.
        location = /hello {
            default_type text/plain;
            return 200 "$(hello_nginx_string)";
        }
    }
}
EOF
    echo "$dir/nginx.conf"
}

# --- starting and stopping --------------------------------------------------
# The command line, in the foreground, for server NAME with config CONF.
server_cmd() {
    local name=$1 conf=$2
    case $name in
        mh-*) echo "$PREFIX/bin/modhttpd -f $conf -D FOREGROUND" ;;
        ap-*) echo "$APACHE_BIN -f $conf -DFOREGROUND" ;;
        nginx) echo "$NGINX_BIN -p $CONFDIR/nginx/ -c $conf -g daemon\ off;" ;;
    esac
}

port_busy() { ss -Htln "sport = :$1" 2>/dev/null | grep -q .; }

# start_server NAME CONF LOGFILE [wrapper...]: starts it pinned to
# $SERVER_CPU in its own session; sets SERVER_PID (the master). Waits until a
# request for /1k.txt answers 200.
start_server() {
    local name=$1 conf=$2 out=$3
    shift 3
    local port=${PORT[$name]}
    port_busy "$port" && die "port $port is already in use (a server left running?)"
    case $name in
        nginx) "${OWN_GROUP[@]}" $(nice_prefix) taskset -c "$SERVER_CPU" "$@" "$NGINX_BIN" -p "$CONFDIR/nginx/" -c "$conf" \
            -g 'daemon off;' >"$out" 2>&1 </dev/null & ;;
        mh-*) "${OWN_GROUP[@]}" $(nice_prefix) taskset -c "$SERVER_CPU" "$@" "$PREFIX/bin/modhttpd" -f "$conf" -D FOREGROUND \
            >"$out" 2>&1 </dev/null & ;;
        ap-*) "${OWN_GROUP[@]}" $(nice_prefix) taskset -c "$SERVER_CPU" "$@" "$APACHE_BIN" -f "$conf" -DFOREGROUND \
            >"$out" 2>&1 </dev/null & ;;
    esac
    SERVER_PID=$!
    local i
    for i in $(seq 1 ${START_TIMEOUT_TENTHS:-300}); do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            log "$name exited at start; its output:"
            cat "$out" >&2
            return 1
        fi
        # BENCH_SCHEME=https: bench/tls.sh's servers (self-signed: -k).
        if curl -s -k -o /dev/null -m 1 -w '%{http_code}' "${BENCH_SCHEME:-http}://127.0.0.1:$port/1k.txt" 2>/dev/null | grep -q 200; then
            return 0
        fi
        sleep 0.1
    done
    log "$name did not answer on port $port in time"
    return 1
}

# Pids of PID and all its descendants, one a line.
tree_pids() { "$PY" "$BENCH_DIR/lib/proctree.py" pids "$1"; }
# CPU seconds used so far by PID and its descendants.
tree_cpu() { "$PY" "$BENCH_DIR/lib/proctree.py" cpu "$1"; }

# Waits until the number of the server's processes stops changing (the pool
# has been started), at most $1 seconds.
wait_pool_stable() {
    local max=${1:-20} prev=-1 same=0 n i
    for i in $(seq 1 $((max * 5))); do
        n=$(tree_pids "$SERVER_PID" | wc -l)
        if [ "$n" = "$prev" ]; then
            same=$((same + 1))
            [ $same -ge 3 ] && break
        else
            same=0
        fi
        prev=$n
        sleep 0.2
    done
    echo "$prev"
}

# stop_server: SIGTERM to the master, then its whole process group; SIGKILL
# after 10 s. Only the processes this script started.
stop_server() {
    local pid=${1:-$SERVER_PID} i
    [ -n "$pid" ] || return 0
    kill -TERM "$pid" 2>/dev/null || true
    for i in $(seq 1 100); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    # The group is the session setsid made: its id is the master's pid.
    if kill -0 -- "-$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        sleep 0.5
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
    SERVER_PID=""
}

raise_nofile() {
    ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    local n
    n=$(ulimit -n)
    [ "$n" = unlimited ] || [ "$n" -ge 4096 ] || die "ulimit -n is $n: 1,000 connections need more"
}
