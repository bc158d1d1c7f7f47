#!/usr/bin/env bash
# Builds the eBPF objects and publishes the two executables, out/sluice and out/sluiced (framework-dependent,
# Release). The eBPF objects are embedded in the binaries and also copied to out/bpf/.
set -euo pipefail
cd "$(dirname "$0")/.."
make -C bpf -s
dotnet publish src/Daemon -c Release -o out -nologo -v q
dotnet publish src/Cli -c Release -o out -nologo -v q
echo "published: out/sluice, out/sluiced"
