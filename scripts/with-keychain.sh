#!/usr/bin/env bash
# Runs a command with a real Secret Service (gnome-keyring) on a private D-Bus session, as a
# desktop session would have. The keyring lives in a fresh folder for this run only, so a
# keyring left by an earlier run (with another password) can never be found locked. Without
# gnome-keyring the command runs as is, and the keychain tests check Till's refusal path.
set -euo pipefail
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  keyring_home=$(mktemp -d "${TMPDIR:-/tmp}/till-keyring-XXXXXX")
  trap 'rm -rf "$keyring_home"' EXIT
  XDG_DATA_HOME="$keyring_home/data" XDG_RUNTIME_DIR="$keyring_home/run" \
    dbus-run-session -- bash -c 'mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR"; chmod 700 "$XDG_RUNTIME_DIR"
      echo -n till-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; "$@"' bash "$@"
  exit $?
fi
echo "note: gnome-keyring or dbus-run-session is missing; OS keychain tests will check the refusal path only" >&2
exec "$@"
