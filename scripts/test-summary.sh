#!/usr/bin/env bash
# Sums the counters of every TRX file under $1 and prints the line CI reads: "N passed, N failed, N skipped".
set -euo pipefail
dir=${1:-out/test-results}
passed=0; failed=0; skipped=0
shopt -s nullglob globstar
for f in "$dir"/**/*.trx; do
  line=$(grep -o '<Counters [^>]*>' "$f" | head -1)
  get() { echo "$line" | sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p"; }
  total=$(get total); executed=$(get executed); p=$(get passed); fl=$(get failed)
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${fl:-0} + $(get error) + $(get timeout) + $(get aborted)))
  skipped=$((skipped + ${total:-0} - ${executed:-0} + $(get notExecuted)))
done
echo "$passed passed, $failed failed, $skipped skipped"
