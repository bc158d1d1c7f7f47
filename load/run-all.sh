#!/usr/bin/env bash
# Builds sluiced and the load harness in Release, then runs every scenario once (as root). Each scenario
# prints its table and writes load/results/<scenario>.json; see docs/load.md.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $EUID -eq 0 ]] || { echo "run as root (network namespaces, BPF)" >&2; exit 1; }
dotnet build src/Daemon -c Release -v q -nologo
dotnet build load/Sluice.Load -c Release -v q -nologo
for scenario in "${@:-startup apply-latency memory flood overhead}"; do
    for s in $scenario; do
        echo "=== $s (load average $(cut -d' ' -f1-3 /proc/loadavg)) ==="
        dotnet load/Sluice.Load/bin/Release/net10.0/sluice-load.dll "$s"
    done
done
