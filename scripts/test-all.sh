#!/usr/bin/env bash
# The one command that installs what the tests need and runs them all (README, .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v chromium >/dev/null || need+=(chromium)
command -v gnome-keyring-daemon >/dev/null || need+=(gnome-keyring)
command -v dbus-run-session >/dev/null || need+=(dbus dbus-x11)
command -v xvfb-run >/dev/null || need+=(xvfb)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing Debian packages: ${need[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund
TILL_REQUIRE_KEYCHAIN="${TILL_REQUIRE_KEYCHAIN:-1}" npm test
