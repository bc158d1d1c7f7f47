#!/usr/bin/env bash
# Runs Sluice's whole test suite: pure-logic tests, BPF/ABI tests and end-to-end tests in network
# namespaces. Needs root (tests load eBPF programs and create namespaces). Prints a final summary line
# "N passed, N failed, N skipped" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "test.sh: the suite loads eBPF programs and creates network namespaces; run it as root (sudo)" >&2
  exit 1
fi
scripts/install-deps.sh || exit 1
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
make -C bpf || { echo "0 passed, 1 failed"; exit 1; }
dotnet build Sluice.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
rm -rf out/test-results
dotnet test Sluice.sln -c Release --no-build -nologo \
  --logger "trx" --logger "console;verbosity=normal" --results-directory out/test-results
status=$?
summary=$(scripts/test-summary.sh out/test-results)
echo "$summary"
case "$summary" in *" 0 failed"*) [ $status -eq 0 ] || exit $status ;; *) exit 1 ;; esac
