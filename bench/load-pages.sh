#!/usr/bin/env bash
# Pages under load: TomAlerts in Release (Production) on 127.0.0.1 over a database seeded with COUNT targets, each main
# page driven by wrk (THREADS threads, CONNECTIONS connections, DURATION) after a WARMUP pass, with a cookie from the
# log-in form. Prints requests/s and p99 per page and the ratio to a static file served by the same app (the baseline).
# Nothing leaves 127.0.0.1.
#
#   bash bench/load-pages.sh                          # seeds 1,000,000 targets into a fresh SQLite file first
#   COUNT=100000 bash bench/load-pages.sh             # another size (ALERTS=N: the seeded run's size, default 100,000)
#   DB=/tmp/perf-1m.db RUN=/alerts/run/1/ bash bench/load-pages.sh   # reuse a file seeded by: TomAlerts.Bench seed --count N --alerts M --db FILE
#   PROVIDER=postgres CONNECTION="Host=127.0.0.1;Port=55436;Database=tomalerts;Username=postgres" bash bench/load-pages.sh
# Needs the .NET SDK, curl and wrk (installed with apt-get when missing).
set -euo pipefail
cd "$(dirname "$0")/.."

COUNT=${COUNT:-1000000}
ALERTS=${ALERTS:-100000}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
DURATION=${DURATION:-30s}
WARMUP=${WARMUP:-5s}
PROVIDER=${PROVIDER:-sqlite}
ARTIFACTS=${ARTIFACTS:-/tmp/tomalerts-bench-artifacts}
EMAIL=pages@example.org
PASSWORD='Sup3rnova!pages'

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
for tool in wrk curl dotnet; do
  command -v "$tool" >/dev/null || { echo "load-pages.sh needs $tool" >&2; exit 2; }
done

WORK=$(mktemp -d /tmp/tomalerts-pages-XXXXXX)
APP_PID=""
cleanup() {
  [ -n "$APP_PID" ] && kill "$APP_PID" 2>/dev/null && wait "$APP_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# The app runs as it is deployed (the Dockerfile's `dotnet publish`): a build's output serves its static files through
# the development manifest and logs a warning for each one, which is not what a deployment measures.
echo "== publishing TomAlerts.Web and building TomAlerts.Bench (Release) into $ARTIFACTS"
dotnet build bench/TomAlerts.Bench -c Release --artifacts-path "$ARTIFACTS" -nologo -v quiet >/dev/null
dotnet publish src/TomAlerts.Web/TomAlerts.Web.csproj -c Release --artifacts-path "$ARTIFACTS" -o "$ARTIFACTS/published/TomAlerts.Web" -nologo -v quiet >/dev/null
APP_DIR=$ARTIFACTS/published/TomAlerts.Web
BENCH="dotnet $ARTIFACTS/bin/TomAlerts.Bench/release/TomAlerts.Bench.dll"

if [ "$PROVIDER" = postgres ]; then
  : "${CONNECTION:?set CONNECTION to the PostgreSQL connection string}"
  export Database__Provider=Postgres ConnectionStrings__Default="$CONNECTION"
  if [ "${REUSE:-0}" != 1 ]; then
    echo "== seeding $COUNT targets into PostgreSQL"
    RUN=$($BENCH seed --count "$COUNT" --alerts "$ALERTS" --provider postgres --connection "$CONNECTION" | tee /dev/stderr | sed -n 's/^run of .*: \(\/alerts\/run\/[0-9]*\/\)$/\1/p')
  fi
else
  if [ -z "${DB:-}" ]; then
    DB=$WORK/tomalerts.db
    echo "== seeding $COUNT targets into $DB"
    RUN=$($BENCH seed --count "$COUNT" --alerts "$ALERTS" --db "$DB" | tee /dev/stderr | sed -n 's/^run of .*: \(\/alerts\/run\/[0-9]*\/\)$/\1/p')
  fi
  export ConnectionStrings__Default="Data Source=$DB"
fi
export ASPNETCORE_ENVIRONMENT=Production
export Serilog__MinimumLevel__Default=Warning
export Serilog__WriteTo__1__Args__path="$WORK/logs/tomalerts-.log"

PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()' 2>/dev/null || echo 5391)
BASE=http://127.0.0.1:$PORT
(cd "$APP_DIR" && dotnet TomAlerts.Web.dll users create --email "$EMAIL" --password "$PASSWORD" --admin >/dev/null 2>&1) || true
(cd "$APP_DIR" && exec dotnet TomAlerts.Web.dll --urls "$BASE") > "$WORK/app.out" 2>&1 &
APP_PID=$!
for _ in $(seq 1 300); do
  curl -fs -o /dev/null "$BASE/account/login" && break
  kill -0 "$APP_PID" 2>/dev/null || { cat "$WORK/app.out" >&2; exit 1; }
  sleep 0.2
done

echo "== logging in (antiforgery cookie + token from GET /account/login, then POST the form)"
JAR=$WORK/cookies.txt
TOKEN=$(curl -fs -b "$JAR" -c "$JAR" "$BASE/account/login" | sed -n 's/.*name="__RequestVerificationToken" type="hidden" value="\([^"]*\)".*/\1/p' | head -1)
CODE=$(curl -fs -o /dev/null -w '%{http_code}' -b "$JAR" -c "$JAR" --data-urlencode "__RequestVerificationToken=$TOKEN" \
  --data-urlencode "Email=$EMAIL" --data-urlencode "Password=$PASSWORD" "$BASE/account/login")
[ "$CODE" = 302 ] || { echo "log-in failed ($CODE)" >&2; exit 1; }
COOKIE=$(awk '$6 ~ /^TomAlerts/ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$JAR")
[ -n "$COOKIE" ] || COOKIE=$(awk 'NF >= 7 && $1 !~ /^#/ { printf "%s%s=%s", sep, $6, $7; sep="; " }' "$JAR")

PAGES=$(( (COUNT + 49) / 50 )); [ "$PAGES" -gt 1000 ] && PAGES=1000
echo "== following $((PAGES - 1)) Next links to keyset page $PAGES"
URL=/targets/
for _ in $(seq 2 "$PAGES"); do
  URL=$(curl -fs -H "Cookie: $COOKIE" "$BASE$URL" | sed -n 's/.*href="\([^"]*after=[^"]*\)" rel="next".*/\1/p' | head -1 | sed 's/&amp;/\&/g')
  [ -n "$URL" ] || { echo "no Next link" >&2; exit 1; }
done
DEEP=$URL
DETAIL=/targets/$((COUNT / 2 + 1))/
CURVE=${DETAIL}lightcurve/
STATIC=/lib/bootstrap/bootstrap.min.css
: "${RUN:?set RUN to the page of the seeded run, printed by TomAlerts.Bench seed --alerts N}"
RUNDEEP="${RUN}?page=1000"

echo "== wrk -t$THREADS -c$CONNECTIONS -d$DURATION per page (after a $WARMUP warm-up each); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
# The app's own CPU time (user + system, from /proc) over each page's wrk run, per request answered: the cost of a page
# on this machine, which moves less than requests/s when other work shares the cores.
app_cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$APP_PID/stat"; }
declare -A RPS P99 P50 BAD CPU
for path in "$STATIC" /alerts/query/list/ /targets/ "$DEEP" "$DETAIL" "$CURVE" "$RUN" "$RUNDEEP"; do
  curl -fs -o /dev/null -H "Cookie: $COOKIE" "$BASE$path" || { echo "GET $path failed" >&2; exit 1; }
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Cookie: $COOKIE" -s bench/pages.lua "$BASE" -- "$path" >/dev/null
  TICKS=$(app_cpu_ticks)
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -H "Cookie: $COOKIE" -s bench/pages.lua "$BASE" -- "$path" > "$WORK/wrk.txt"
  CPU[$path]=$(awk -v ticks=$(( $(app_cpu_ticks) - TICKS )) -v hz="$(getconf CLK_TCK)" \
    '/^STATUS/ { n = 0; for (i = 2; i <= NF; i++) { split($i, kv, "="); n += kv[2] } } END { printf "%.0f", ticks * 1e6 / hz / n }' "$WORK/wrk.txt")
  RPS[$path]=$(awk '/^RPS/ { print $2 }' "$WORK/wrk.txt")
  P99[$path]=$(awk '/^P99_MS/ { print $2 }' "$WORK/wrk.txt")
  P50[$path]=$(awk '/^P50_MS/ { print $2 }' "$WORK/wrk.txt")
  BAD[$path]=$(awk '/^STATUS/ { print $3, $4, $5 }' "$WORK/wrk.txt")
  echo "   $path: ${RPS[$path]} req/s, p99 ${P99[$path]} ms, app CPU ${CPU[$path]} µs/request (${BAD[$path]})"
done

echo
echo "Pages under load: $COUNT targets ($PROVIDER), wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $(nproc) cores, load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| page | requests/s | p50 ms | p99 ms | requests/s vs static file | p99 vs static file | app CPU µs/request | non-2xx |"
echo "|---|---:|---:|---:|---:|---:|---:|---|"
for path in "$STATIC" /alerts/query/list/ /targets/ "$DEEP" "$DETAIL" "$CURVE" "$RUN" "$RUNDEEP"; do
  label=$path
  [ "$path" = "$RUN" ] && label="$RUN (a run of $ALERTS alerts, page 1)"
  [ "$path" = "$RUNDEEP" ] && label="$RUNDEEP (the same run, page 1,000)"
  [ "$path" = "$DEEP" ] && label="/targets/?after=… (keyset page $PAGES)"
  [ "$path" = "$DETAIL" ] && label="$DETAIL (target page, 1,000 points)"
  [ "$path" = "$CURVE" ] && label="$CURVE (its light curve, JSON)"
  [ "$path" = "$STATIC" ] && label="$STATIC (static file, baseline)"
  awk -v l="$label" -v r="${RPS[$path]}" -v p="${P99[$path]}" -v m="${P50[$path]}" -v sr="${RPS[$STATIC]}" -v sp="${P99[$STATIC]}" -v b="${BAD[$path]}" -v c="${CPU[$path]}" \
    'BEGIN { printf "| %s | %.0f | %.1f | %.1f | %.2f× | %.1f× | %s | %s |\n", l, r, m, p, r / sr, p / sp, c, b }'
done
