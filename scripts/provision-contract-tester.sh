#!/usr/bin/env bash
# Installs the contract tester (Schemathesis, for npm run test:contract) into a virtualenv in the same
# per-user tools cache as scripts/provision-tools.sh, keyed by version, and prints the path of its `st`.
# Idempotent: a virtualenv whose ".complete" marker exists is reused; the marker is written only after
# `st --version` ran, so a half-built one is rebuilt on the next run. Schemathesis and every package it
# pulls in are pinned (CONSTRAINTS below, from `pip freeze` of a working install), so two machines test
# with the same code.
set -euo pipefail

DIR="${SUMMIT_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/summit-followup/tools}"
mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"

SCHEMATHESIS_VERSION=4.32.5
CONSTRAINTS="schemathesis==$SCHEMATHESIS_VERSION
anyio==4.16.0
certifi==2026.10.19.post1
charset-normalizer==3.5.3
click==8.5.1
graphql-core==3.3.2
harfile==0.6.0
hypothesis==6.170.17
hypothesis-graphql==0.13.5
idna==3.20
iniconfig==2.3.1
jsonschema_rs==0.60.3
markdown-it-py==4.3.0
MarkupSafe==3.0.4
mdurl==0.1.2
packaging==26.4
pluggy==1.7.0
Pygments==2.21.0
pyrate-limiter==4.5.1
pytest==9.2.0
PyYAML==6.0.4
requests==2.34.2
rich==15.0.0
sortedcontainers==2.4.0
typing_extensions==4.16.0
urllib3==2.8.0
Werkzeug==3.1.9"

out="$DIR/schemathesis-$SCHEMATHESIS_VERSION"

# Two test runs may provision at the same time; serialise them (a lock of its own: provision-tools.sh
# holds .lock while it builds for minutes, and this needs none of what it builds).
if command -v flock >/dev/null 2>&1; then
  exec 9>"$DIR/.lock-schemathesis"
  flock 9
fi

if [[ ! -f "$out/.complete" ]]; then
  command -v python3 >/dev/null 2>&1 \
    || { echo "provision-contract-tester: 'python3' (3.9 or later) not found on PATH; it runs Schemathesis" >&2; exit 1; }
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 9) else 1)' \
    || { echo "provision-contract-tester: Schemathesis needs Python 3.9 or later, python3 is $(python3 --version)" >&2; exit 1; }
  t0=$SECONDS
  rm -rf "$out"
  echo "installing Schemathesis $SCHEMATHESIS_VERSION into a virtualenv with pip (first time only, about a minute)…" >&2
  constraints="$(mktemp)"
  trap 'rm -f "$constraints"' EXIT
  printf '%s\n' "$CONSTRAINTS" >"$constraints"
  if ! { python3 -m venv "$out" >&2 \
        && "$out/bin/python" -m pip install -q -c "$constraints" "schemathesis==$SCHEMATHESIS_VERSION" >&2 \
        && "$out/bin/st" --version >/dev/null; }; then
    rm -rf "$out"
    echo "provision-contract-tester: FAILED to install Schemathesis $SCHEMATHESIS_VERSION (see above); nothing is" \
         "marked installed, so re-running this script retries. Cache: $DIR" >&2
    exit 1
  fi
  touch "$out/.complete"
  echo "Schemathesis $SCHEMATHESIS_VERSION ready in $((SECONDS - t0)) s: $out/bin/st" >&2
fi
echo "$out/bin/st"
