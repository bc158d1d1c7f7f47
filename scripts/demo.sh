#!/usr/bin/env bash
# Sluice's main job on a fresh machine: installs what is needed, publishes `sluice` and `sluiced` to out/,
# then runs `sluice demo` — a shop topology in network namespaces (frontend, api, db, an outside peer)
# with policies enforced by the eBPF datapath, real traffic, flows printed as they happen, metrics and
# status, one policy in audit mode — and removes everything it created. Needs root.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "$(id -u)" -ne 0 ]; then
  echo "demo.sh: the demo loads eBPF programs and creates network namespaces; run it as root (sudo)" >&2
  exit 1
fi
scripts/install-deps.sh
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
scripts/publish.sh
exec out/sluice demo "$@"
