#!/usr/bin/env bash
# The audit chain as a new user tries it: change data, export the chain, verify the export
# with README's standard-library script (extracted from README, so the documented script is
# the tested one), then edit one event by hand and watch both the script and `strata audit
# verify` name it.
#   .ci/audit_chain.sh [debug|release]
set -euo pipefail
cd "$(dirname "$0")/.."
bin=target/${1:-debug}/strata
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export STRATA_DATA_DIR="$work"
unset STRATA_DATABASE_URL STRATA_SIGNING_KEY_FILE
script="$work/verify_audit_chain.py"
awk '/<!-- verify_audit_chain.py/ {on=1; next} on && /^```python/ {inside=1; next} inside && /^```/ {exit} inside {print}' README.md > "$script"
[ -s "$script" ] || { echo "README has no verification script" >&2; exit 1; }

python3 "$script" server/tests/fixtures/audit-chain-vector.jsonl

"$bin" migrate >/dev/null
"$bin" demo >/dev/null
"$bin" audit verify
# A signed checkpoint of the head, kept outside the database.
"$bin" audit head > "$work/checkpoint.json"
head=$(python3 -c 'import json,sys; c=json.load(open(sys.argv[1])); print(str(c["seq"]) + ":" + c["hash"])' "$work/checkpoint.json")
"$bin" audit export > "$work/chain.jsonl" 2>/dev/null
python3 "$script" "$work/chain.jsonl" "$head"

# An extract of a time range verifies on its own.
from=$(python3 -c 'import json,sys; lines=open(sys.argv[1]).read().splitlines(); print(json.loads(lines[len(lines)//2])["time"])' "$work/chain.jsonl")
"$bin" audit export --from "$from" > "$work/tail.jsonl" 2>/dev/null
python3 "$script" "$work/tail.jsonl" "$head"
# An anchor from before the extract cannot be vouched for by it: refused, not passed.
first=$(python3 -c 'import json,sys; e=json.loads(open(sys.argv[1]).read().splitlines()[1]); print(str(e["seq"]) + ":" + e["hash"])' "$work/chain.jsonl")
if out=$(python3 "$script" "$work/tail.jsonl" "$first"); then
  echo "the script passed an anchor the extract does not cover" >&2; exit 1
fi
echo "$out" | grep -q "not covered" || { echo "unexpected: $out" >&2; exit 1; }

# One event edited in the export: the script names it.
python3 - "$work/chain.jsonl" "$work/edited.jsonl" <<'PY'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
event = json.loads(lines[5])
event["entity"] = "someone else"
lines[5] = json.dumps(event, ensure_ascii=False)
open(sys.argv[2], "w").write("\n".join(lines) + "\n")
PY
if out=$(python3 "$script" "$work/edited.jsonl"); then
  echo "the script missed an edited event" >&2; exit 1
fi
echo "$out" | grep -q "BROKEN at sequence 5:" || { echo "unexpected: $out" >&2; exit 1; }

# A checkpoint is trusted by its signer's fingerprint: another key's is refused (exit 1), and a
# verification that cannot run (no such file) is not reported as a broken chain (exit 2).
set +e
out=$("$bin" audit verify --checkpoint "$work/checkpoint.json" --fingerprint "SHA256:$(printf '0%.0s' $(seq 32))")
rc=$?
"$bin" audit verify --checkpoint "$work/no-such-checkpoint.json" >/dev/null 2>&1
missing=$?
set -e
[ "$rc" = 1 ] && echo "$out" | grep -q "REFUSED" || { echo "a foreign key's checkpoint was not refused: $rc $out" >&2; exit 1; }
[ "$missing" = 2 ] || { echo "an unreadable checkpoint exited $missing, not 2" >&2; exit 1; }
# A configured key that does not exist is an error, never silently replaced.
if STRATA_SIGNING_KEY_FILE="$work/lost.key" "$bin" audit head >/dev/null 2>&1 || [ -e "$work/lost.key" ]; then
  echo "a missing STRATA_SIGNING_KEY_FILE was not refused" >&2; exit 1
fi

# The tail cut off in the database, head moved back with it: the chain holds in itself, and
# only the checkpoint taken before tells.
python3 - "$work/strata.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
(last,) = db.execute("select max(seq) from audit_events").fetchone()
(hash_,) = db.execute("select hash from audit_events where seq = ?", (last - 3,)).fetchone()
db.execute("delete from audit_events where seq > ?", (last - 3,))
db.execute("update audit_head set seq = ?, hash = ?", (last - 3, hash_))
db.commit()
PY
"$bin" audit verify >/dev/null
if out=$("$bin" audit verify --checkpoint "$work/checkpoint.json"); then
  echo "audit verify missed a cut tail against the checkpoint" >&2; exit 1
fi
echo "$out" | grep -q "cut off" || { echo "unexpected: $out" >&2; exit 1; }

# One row edited in the database: `strata audit verify` names it.
python3 - "$work/strata.db" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("update audit_events set details = '{\"edited\":true}' where seq = 7")
db.commit()
PY
if out=$("$bin" audit verify); then
  echo "audit verify missed an edited row" >&2; exit 1
fi
echo "$out" | grep -q "BROKEN at sequence 7:" || { echo "unexpected: $out" >&2; exit 1; }
# A broken chain is not signed.
if "$bin" audit head > "$work/refused.json" 2>/dev/null; then
  echo "audit head signed a broken chain" >&2; exit 1
fi
grep -q "no checkpoint signed" "$work/refused.json" || { echo "unexpected: $(cat "$work/refused.json")" >&2; exit 1; }
echo "audit chain: the export verifies with the README script; edits are named ($out)"
