#!/usr/bin/env bash
# The one test command (README "Run every test"; CI runs exactly this): installs what the suite needs and is
# missing on this machine, then runs every test. Extra arguments go to `dotnet test`, e.g.
#   tests/run.sh --filter "FullyQualifiedName~UsageJourney"
# NERUBA_TEST_CLOCK=2026-12-31T23:50:00Z tests/run.sh runs the suite as on that day (see README).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
  echo "The .NET SDK 10.0 is needed (https://dot.net/download); it is not on this machine." >&2
  exit 1
fi

# The end-to-end tests drive Debian's Chromium at exactly this path (no browser download).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium for the end-to-end tests..."
  export DEBIAN_FRONTEND=noninteractive
  sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq chromium >/dev/null
fi

exec dotnet test Neruba.sln "$@"
