#!/usr/bin/env bash
# Runs a command with a real Secret Service (gnome-keyring) on a private D-Bus session, as a
# desktop session would have. Without gnome-keyring the command runs as is, and the keychain
# tests check that Till refuses the keychain with a clear reason.
set -euo pipefail
if command -v dbus-run-session >/dev/null && command -v gnome-keyring-daemon >/dev/null; then
  exec dbus-run-session -- bash -c 'echo -n till-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec "$@"' bash "$@"
fi
echo "note: gnome-keyring or dbus-run-session is missing; OS keychain tests will check the refusal path only" >&2
exec "$@"
