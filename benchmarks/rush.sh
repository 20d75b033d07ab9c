#!/usr/bin/env bash
# The deadline rush end to end (issue 14): a PostgreSQL database with the demo and 90 extra
# departments with their own drafts, gunicorn as scripts/serve runs it (DEBUG off, persistent
# connections, 2 x cores + 1 sync workers), then locust: 100 users, 20 s ramp-up, 60 s measured,
# 127.0.0.1 only. Prints locust's summary and the load average; CSV files in $OUT.
#   benchmarks/rush.sh            # needs the project's venv (.venv) and PostgreSQL on 127.0.0.1
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DB="${RUSH_DB:-cchc_rush}"
PORT="${RUSH_PORT:-8014}"
OUT="${OUT:-/tmp/rush}"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$DB"
export SECRET_KEY="rush-benchmark-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=0 SESSION_COOKIE_SECURE=0 CSRF_COOKIE_SECURE=0
export MEDIA_ROOT="$OUT/media"
mkdir -p "$OUT"

psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB"
DEBUG=1 DEMO_MODE=1 "$PY" manage.py migrate -v0
DEBUG=1 DEMO_MODE=1 "$PY" manage.py load_demo >/dev/null
export DEBUG=0 DEMO_MODE=0
"$PY" benchmarks/rush_setup.py --departments 90 --output "$OUT/sessions.json" | tail -n 1
"$PY" manage.py collectstatic --noinput -v0

.venv/bin/gunicorn cchc_portal.wsgi:application --bind "127.0.0.1:$PORT" \
  --workers "$(( $(nproc) * 2 + 1 ))" --timeout 60 --log-level warning 2>"$OUT/server.log" &
GUNICORN=$!
trap 'kill $GUNICORN 2>/dev/null; wait' EXIT
sleep 3
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
SESSIONS="$OUT/sessions.json" .venv/bin/locust -f benchmarks/locustfile.py --headless \
  -H "http://127.0.0.1:$PORT" -u 100 -r 5 -t 80s --csv "$OUT/rush" --only-summary 2>&1 \
  | sed -n '/^Type/,$p'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# Server-side times of the same requests (the request log): what the queue in front of the
# workers adds is the difference from locust's figures.
"$PY" - "$OUT/server.log" <<'PYTHON'
import re, statistics, sys
kinds = {"entry page": r"GET /bao-cao/\d+/phu-luc/", "autosave": r"POST /bao-cao/\d+/phu-luc/",
         "overview": r"GET /bao-cao/\d+/ ", "dashboard": r"GET /bang-theo-doi/ "}
lines = open(sys.argv[1]).read().splitlines()
for kind, pattern in kinds.items():
    ms = sorted(int(m.group(1)) for line in lines if re.search(pattern, line)
                for m in [re.search(r" (\d+)ms ", line)] if m)
    if ms:
        print(f"server {kind}: n={len(ms)} median {statistics.median(ms):.0f} ms, "
              f"p95 {ms[int(len(ms) * 0.95) - 1]} ms")
PYTHON
