#!/usr/bin/env bash
# System packages the tests need (PostgreSQL, Redis, Chromium with a CJK font, gettext, nginx), installed with
# apt only when missing, so a machine that has them skips this in a second.
set -euo pipefail
missing=()
[ -x /usr/lib/postgresql/15/bin/initdb ] || [ -n "$(ls /usr/lib/postgresql/*/bin/initdb 2>/dev/null)" ] || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v msgfmt >/dev/null || missing+=(gettext)
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null || missing+=(nginx)
dpkg -s fonts-noto-cjk >/dev/null 2>&1 || missing+=(fonts-noto-cjk)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing system packages: ${missing[*]}"
  if [ "$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -q
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
