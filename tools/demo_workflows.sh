#!/usr/bin/env bash
# The workflow part of `make demo`: the demo org served over HTTPS on loopback (as a real org
# would be reached: SF_INSTANCE_URL, SF_ACCESS_TOKEN, REQUESTS_CA_BUNDLE), the product's three
# workflows run against it with `sfschema run`, then queries show what they wrote.
set -euo pipefail
bin=${BIN:-.venv/bin}
work=$(mktemp -d)
pid=
cleanup() { [ -n "$pid" ] && kill "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

"$bin/sfschema" emulator serve --org demo --port 0 --json > "$work/serve.json" 2> "$work/serve.log" &
pid=$!
for _ in $(seq 200); do [ -s "$work/serve.json" ] && break; sleep 0.05; done
eval "$("$bin/python" - "$work/serve.json" <<'PY'
import json, shlex, sys
info = json.load(open(sys.argv[1]))
for name, key in (("SF_INSTANCE_URL", "instance_url"), ("SF_ACCESS_TOKEN", "access_token"),
                  ("REQUESTS_CA_BUNDLE", "ca_bundle")):
    print(f"export {name}={shlex.quote(info[key])}")
PY
)"
export SFSCHEMA_CACHE_DIR="$work/cache"
echo "   (the demo org at $SF_INSTANCE_URL)"

echo "== post-meeting tasks: one Task per action item, all in one /composite call"
"$bin/sfschema" run examples/post_meeting_tasks.yaml --context examples/meeting.json

echo "== stage update with 'closed won' from the AI step: caught before sending (exit 1 expected)"
status=0
"$bin/sfschema" run examples/opportunity_stage_update.yaml \
    --context examples/meeting_wrong_stage.json || status=$?
test "$status" -eq 1

echo "== stage update: the deal found by where | first | map, its stage set"
"$bin/sfschema" run examples/opportunity_stage_update.yaml --context examples/meeting.json

echo "== next step: a query decides (the deal is open), then update and log the meeting"
"$bin/sfschema" run examples/next_step_update.yaml --context examples/meeting.json

echo "== what the workflows wrote"
"$bin/sfschema" query "SELECT Subject, ActivityDate, Status, TaskSubtype FROM Task \
WHERE WhatId = '006000000000001AAA' AND CreatedDate = TODAY ORDER BY ActivityDate"
"$bin/sfschema" query "SELECT Name, StageName, NextStep, CloseDate FROM Opportunity \
WHERE Id = '006000000000001AAA'"

echo "== API calls spent by the whole demo (Sforce-Limit-Info)"
"$bin/sfschema" status
