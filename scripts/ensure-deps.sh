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
