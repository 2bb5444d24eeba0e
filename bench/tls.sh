#!/usr/bin/env bash
# TLS: modhttpd with mod_ssl against nginx, same machine, same run, with the
# same certificate (ECDSA P-256, self-signed), protocol (TLS 1.3) and cipher
# (TLS_AES_128_GCM_SHA256); server pinned to CPU 0, wrk to CPU 1, as
# bench/run.sh does.
#
#     bench/tls.sh [--servers mh-event,mh-worker,mh-prefork,nginx] [--duration S] [--repeat N]
#
# Workloads, GET /1k.txt:
#   ka-1k       50 keep-alive connections: the cost of the encrypted I/O;
#   handshake   16 connections, each request on a new connection
#               ("Connection: close"): a full TLS 1.3 handshake per request
#               (wrk does not resume sessions).
# Medians of N (default 2) measurements of S (default 10) seconds; the
# table gives each server's req/s and its ratio to nginx. Output kept in
# bench/work/tls-<timestamp>/.
set -euo pipefail
export BENCH_PORT_OFFSET=300 BENCH_CONFDIR BENCH_SCHEME=https
BENCH_CONFDIR="$(cd "$(dirname "$0")" && pwd)/work/conf-tls"
source "$(dirname "$0")/lib/common.sh"

SERVERS="mh-event nginx" DURATION=10 REPEAT=2
while [ $# -gt 0 ]; do
    case $1 in
        --servers) SERVERS=${2//,/ }; shift ;;
        --duration) DURATION=$2; shift ;;
        --repeat) REPEAT=$2; shift ;;
        -h | --help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown option $1" ;;
    esac
    shift
done
for s in $SERVERS; do case $s in mh-prefork | mh-worker | mh-event | nginx) ;; *) die "unknown server $s" ;; esac; done

ensure_packages nginx wrk curl openssl
build_modhttpd
[ -f "$PREFIX/modules/mod_ssl.so" ] || die "$PREFIX/modules/mod_ssl.so is missing"
make_docroot
OUT="$WORK/tls-$(date +%Y%m%d-%H%M%S)"
mkdir -p "$OUT" "$CONFDIR"
CERT="$CONFDIR/cert.pem" KEY="$CONFDIR/key.pem"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 30 -subj /CN=127.0.0.1 \
    -keyout "$KEY" -out "$CERT" 2>/dev/null
chmod 644 "$CERT" "$KEY"
CIPHER=TLS_AES_128_GCM_SHA256

# The plain configuration of bench/lib/common.sh, made a TLS one.
tls_config() {
    local s=$1 conf
    conf=$(write_config "$s")
    case $s in
        nginx)
            sed -i "s|listen 127.0.0.1:${PORT[$s]};|listen 127.0.0.1:${PORT[$s]} ssl;\n        ssl_certificate $CERT;\n        ssl_certificate_key $KEY;\n        ssl_protocols TLSv1.3;\n        ssl_conf_command Ciphersuites $CIPHER;\n        ssl_session_cache shared:SSL:10m;|" "$conf" ;;
        mh-*)
            sed -i "s|^Listen 127.0.0.1:${PORT[$s]}$|Listen 127.0.0.1:${PORT[$s]} https|" "$conf"
            cat >>"$conf" <<CONF
LoadModule ssl_module modules/mod_ssl.so
SSLEngine on
SSLCertificateFile "$CERT"
SSLCertificateKeyFile "$KEY"
SSLProtocol TLSv1.3
SSLCipherSuite TLSv1.3 $CIPHER
SSLSessionCache "shmcb:$CONFDIR/scache(512000)"
CONF
            ;;
    esac
    echo "$conf"
}

# measure <server> <workload> <run>: prints req/s and socket errors.
measure() {
    local s=$1 w=$2 i=$3 conns=50 extra=()
    [ "$w" = handshake ] && conns=16 extra=(-H "Connection: close")
    local raw="$OUT/$s.$w.$i.txt"
    $(nice_prefix) taskset -c "$CLIENT_CPU" wrk -t1 -c"$conns" -d"${DURATION}s" "${extra[@]}" \
        "https://127.0.0.1:${PORT[$s]}/1k.txt" >"$raw" 2>&1 || true
    local rps errs
    rps=$(awk '/^Requests\/sec:/ {print $2}' "$raw")
    errs=$(awk '/Socket errors:/ {gsub(",", ""); print $4 + $6 + $8 + $10}' "$raw")
    echo "${rps:-0} ${errs:-0}"
}

raise_nofile
declare -A RPS ERRS
for s in $SERVERS; do
    conf=$(tls_config "$s")
    log "starting ${LABEL[$s]} (TLS) on port ${PORT[$s]}"
    start_server "$s" "$conf" "$OUT/$s.out" || die "${LABEL[$s]} did not start"
    $(nice_prefix) taskset -c "$CLIENT_CPU" wrk -t1 -c16 -d1s "https://127.0.0.1:${PORT[$s]}/1k.txt" >/dev/null 2>&1 || true
    for w in ka-1k handshake; do
        vals=() e=0
        for i in $(seq 1 "$REPEAT"); do
            read -r r err < <(measure "$s" "$w" "$i")
            vals+=("$r")
            e=$((e + err))
        done
        RPS[$s.$w]=$(printf '%s\n' "${vals[@]}" | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}')
        ERRS[$s.$w]=$e
        log "${LABEL[$s]} $w: ${RPS[$s.$w]} req/s (runs: ${vals[*]}; socket errors $e)"
    done
    stop_server
done

{
    echo "# TLS 1.3 ($CIPHER, ECDSA P-256), GET /1k.txt, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo
    echo "Medians of $REPEAT x ${DURATION} s; server on CPU $SERVER_CPU, wrk on CPU $CLIENT_CPU."
    echo
    echo "| workload | server | req/s | socket errors | vs nginx |"
    echo "|---|---|---:|---:|---:|"
    for w in ka-1k handshake; do
        for s in $SERVERS; do
            ratio="–"
            if [ -n "${RPS[nginx.$w]:-}" ] && [ "$s" != nginx ]; then
                ratio=$(awk -v a="${RPS[$s.$w]}" -v b="${RPS[nginx.$w]}" 'BEGIN { printf "%.2fx", (b > 0 ? a / b : 0) }')
            fi
            echo "| $w | ${LABEL[$s]} | ${RPS[$s.$w]} | ${ERRS[$s.$w]} | $ratio |"
        done
    done
} | tee "$OUT/results.md"
