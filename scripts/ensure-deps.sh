#!/usr/bin/env bash
# Run by `npm start` and `npm test`: installs npm dependencies when missing or older than
# package-lock.json, then the pinned tools. Prints one line when everything is present.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# npm writes node_modules/.package-lock.json on every install: its age is the install's age.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "installing npm dependencies…"
  npm ci
fi
bash scripts/provision-tools.sh

# The browser tests drive Debian's Chromium (playwright-core downloads no browser of its own).
if [[ ! -x /usr/bin/chromium ]]; then
  if command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests: apt-get update && apt-get install -y chromium"
    export DEBIAN_FRONTEND=noninteractive
    if apt-get update -qq && apt-get install -y -qq chromium >/dev/null; then
      echo "installed $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium')"
    else
      echo "apt-get could not install chromium (are you root?): the browser tests (test/browser) will fail" >&2
    fi
  else
    echo "apt-get is not available: install Chromium at /usr/bin/chromium yourself, or the browser tests (test/browser) fail" >&2
  fi
fi
