#!/usr/bin/env bash
# Load check: TomAlerts in Release on 127.0.0.1 serves its run results page and target list to 32 connections for
# 30 s (wrk) while a 10,000-alert run ingests from a loopback fake ALeRCE. It passes when no request got a 5xx (or any
# answer but 200) and the run stored all 10,000 alerts. Nothing leaves 127.0.0.1.
#
#   bash bench/load.sh                 # needs wrk (apt-get install -y wrk), python3, curl, sqlite3 and the .NET SDK
#   DURATION=10s bash bench/load.sh    # a shorter pass
set -euo pipefail
cd "$(dirname "$0")/.."

CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
DURATION=${DURATION:-30s}
ALERTS=${ALERTS:-10000}
PAGE_DELAY=${PAGE_DELAY:-1.2}      # seconds per 500-alert page: 20 pages ≈ 25 s of ingest, overlapping the load
EMAIL=load@example.org
PASSWORD='Sup3rnova!load'

for tool in wrk python3 curl sqlite3 dotnet; do
  command -v "$tool" >/dev/null || { echo "load.sh needs $tool (Debian: apt-get install -y $tool)" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/tomalerts-load-XXXXXX)
APP_PID="" FAKE_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  [ -n "$FAKE_PID" ] && kill "$FAKE_PID" 2>/dev/null && wait "$FAKE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
APP_PORT=$(free_port)
FAKE_PORT=$(free_port)
BASE=http://127.0.0.1:$APP_PORT
DB=$WORK/tomalerts.db

echo "== publishing TomAlerts.Web (Release)"
dotnet publish src/TomAlerts.Web -c Release -o "$WORK/app" --artifacts-path "$WORK/artifacts" -nologo -v quiet >/dev/null
APP_DIR=$WORK/app
export ASPNETCORE_ENVIRONMENT=Production
export ConnectionStrings__Default="Data Source=$DB"
export BROKERS__ALERCE__base_url="http://127.0.0.1:$FAKE_PORT/alerce"
export Serilog__MinimumLevel__Default=Warning
export Serilog__WriteTo__1__Args__path="$WORK/logs/tomalerts-.log"

echo "== starting the fake ALeRCE ($ALERTS alerts, ${PAGE_DELAY}s a page) and the app on $BASE"
python3 bench/fake_alerce.py --port "$FAKE_PORT" --alerts "$ALERTS" --page-delay "$PAGE_DELAY" &
FAKE_PID=$!
(cd "$APP_DIR" && dotnet TomAlerts.Web.dll users create --email "$EMAIL" --password "$PASSWORD" >/dev/null)
(cd "$APP_DIR" && exec env Serilog__MinimumLevel__Override__Microsoft.Hosting.Lifetime=Information dotnet TomAlerts.Web.dll --urls "$BASE") \
  > "$WORK/app.out" 2>&1 &
APP_PID=$!
for _ in $(seq 1 150); do
  curl -fs -o /dev/null "$BASE/account/login" && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.out" >&2; exit 1; }
  sleep 0.2
done

JAR=$WORK/cookies.txt
token() { curl -fs -b "$JAR" -c "$JAR" "$BASE$1" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1; }
post() { # post <page that has the form> <action> <curl --data-urlencode args...>
  local page=$1 action=$2; shift 2
  curl -fs -o /dev/null -w '%{http_code} %{redirect_url}' -b "$JAR" -c "$JAR" --data-urlencode "__RequestVerificationToken=$(token "$page")" "$@" "$BASE$action"
}
status() { curl -fs -b "$JAR" "$BASE/alerts/run/$1/status"; }
app_alive() { kill -0 "$APP_PID" 2>/dev/null || { echo "FAIL: the app stopped; its last words:" >&2; tail -20 "$WORK/app.out" >&2; exit 1; }; }
wait_run() { # wait_run <run id>, for at most 5 minutes
  for _ in $(seq 1 600); do
    status "$1" | grep -q '"finished":true' && return 0
    app_alive
    sleep 0.5
  done
  echo "FAIL: run $1 did not finish" >&2; exit 1
}
save_query() { # save_query <name> <max pages> -> query id
  post "/alerts/query/create/?broker=ALeRCE" /alerts/query/create/ --data-urlencode broker=ALeRCE \
    --data-urlencode "query_name=$1" --data-urlencode "max_pages=$2" --data-urlencode visibility=Shared >/dev/null
  sqlite3 "$DB" "SELECT Id FROM BrokerQueries WHERE Name = '$1'"
}
start_run() { post /alerts/query/list/ "/alerts/query/$1/run/" | sed -n 's|.*/alerts/run/\([0-9]*\)/.*|\1|p'; }

echo "== logging in, and creating 100 targets (with light curves) from a first, one-page run"
post /account/login /account/login --data-urlencode "Email=$EMAIL" --data-urlencode "Password=$PASSWORD" | grep -q '^302' \
  || { echo "log-in failed" >&2; exit 1; }
COOKIE=$(awk '$6 ~ /^TomAlerts/ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$JAR")
SEED_RUN=$(start_run "$(save_query seed 1)")
wait_run "$SEED_RUN"
PICKED=()
for i in $(seq 0 99); do PICKED+=(--data-urlencode "alerts=$(printf 'ZTF24load%07d' "$i")"); done
post "/alerts/run/$SEED_RUN/" /alerts/alert/create/ --data-urlencode "runId=$SEED_RUN" "${PICKED[@]}" >/dev/null
TARGETS=$(sqlite3 "$DB" "SELECT COUNT(*) FROM Targets")

echo "== starting the $ALERTS-alert run, then wrk -t$THREADS -c$CONNECTIONS -d$DURATION on its results page and the target list"
RUN=$(start_run "$(save_query load 20)")
for path in "/alerts/run/$RUN/" /targets/; do   # warm up: views compiled, connections pooled
  curl -fs -o /dev/null -H "Cookie: $COOKIE" "$BASE$path"
done
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE" -s bench/pages.lua "$BASE" \
  -- "/alerts/run/$RUN/" /targets/ | tee "$WORK/wrk.txt"
DURING=$(sqlite3 "$DB" "SELECT COUNT(*) FROM RunAlerts WHERE QueryRunId = $RUN")
app_alive
wait_run "$RUN"

STORED=$(sqlite3 "$DB" "SELECT COUNT(*) FROM RunAlerts WHERE QueryRunId = $RUN")
DISTINCT=$(sqlite3 "$DB" "SELECT COUNT(DISTINCT AlertId) FROM RunAlerts WHERE QueryRunId = $RUN")
RUN_STATUS=$(sqlite3 "$DB" "SELECT Status || ' ' || AlertCount FROM QueryRuns WHERE Id = $RUN")
RUN_SECONDS=$(sqlite3 "$DB" "SELECT printf('%.1f', (julianday(Finished) - julianday(Started)) * 86400) FROM QueryRuns WHERE Id = $RUN")
read -r _ S2 S3 S4 S5 < <(grep '^STATUS' "$WORK/wrk.txt" | tr '=' ' ' | awk '{ print $1, $3, $5, $7, $9 }')
RPS=$(awk '/^RPS/ { print $2 }' "$WORK/wrk.txt")
P99=$(awk '/^P99_MS/ { print $2 }' "$WORK/wrk.txt")
NON2XX=$(awk '/Non-2xx or 3xx responses/ { print $NF }' "$WORK/wrk.txt")
SERVER_ERRORS=$(grep -c '" responded 5[0-9][0-9]' "$WORK"/logs/* 2>/dev/null || true)

echo
echo "== result"
echo "requests/s: $RPS   p99: ${P99} ms   answers: 2xx=$S2 3xx=$S3 4xx=$S4 5xx=$S5 (wrk non-2xx/3xx: ${NON2XX:-0})"
echo "run $RUN: $RUN_STATUS in ${RUN_SECONDS} s; $STORED alerts stored ($DISTINCT distinct), $DURING of them by the time wrk ended; $TARGETS targets listed"
fail=0
[ "$S5" -eq 0 ] && [ "$S3" -eq 0 ] && [ "$S4" -eq 0 ] || { echo "FAIL: answers other than 200" >&2; fail=1; }
[ "${SERVER_ERRORS:-0}" -eq 0 ] || { echo "FAIL: the app logged $SERVER_ERRORS 5xx responses" >&2; fail=1; }
[ "$STORED" -eq "$ALERTS" ] && [ "$DISTINCT" -eq "$ALERTS" ] && [ "$RUN_STATUS" = "Succeeded $ALERTS" ] \
  || { echo "FAIL: the run did not store all $ALERTS alerts exactly once" >&2; fail=1; }
[ "$TARGETS" -eq 100 ] || { echo "FAIL: $TARGETS targets, not 100" >&2; fail=1; }
[ $fail -eq 0 ] && echo "PASS"
exit $fail
