#!/usr/bin/env bash
# Installs what `npm run start:cluster` needs beyond the embedded stack's tools, pinned, into the
# same per-user cache as scripts/provision-tools.sh, and writes $DIR/cluster-paths.json for
# src/stack/cluster-tools.ts:
#   - the Temporal server and its SQL tool, built with `go install` at the version the pinned
#     Temporal CLI embeds (checked, so the cluster runs the server the embedded stack runs), with
#     the server's PostgreSQL schema files copied beside them;
#   - PostgreSQL 15 (Debian 12's): the installed one when /usr/lib/postgresql/15 has it, otherwise
#     Debian's packages fetched with `apt-get download` and unpacked with `dpkg -x` (no root needed).
# Idempotent: a part whose ".complete" marker exists is skipped.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${SUMMIT_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/summit-followup/tools}"

# The CLI first: its embedded server version is the one to build.
bash "$ROOT/scripts/provision-tools.sh"
DIR="$(cd "$DIR" && pwd)"

TEMPORAL_SERVER_VERSION=1.29.1
POSTGRES_MAJOR=15
# Pinned Debian package versions, first choice first: the archive keeps only the current point
# release of each suite, so the fallback is the one bookworm itself shipped.
POSTGRES_DEB_VERSIONS=(15.20-0+deb12u1 15.18-0+deb12u1)
SYSTEM_POSTGRES="/usr/lib/postgresql/$POSTGRES_MAJOR/bin"

exec 9>"$DIR/.lock-cluster"
command -v flock >/dev/null 2>&1 && flock 9

paths_value() { sed -n "s/^[[:space:]]*\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" "$DIR/paths.json"; }

build_temporal_server() {
  local v="$TEMPORAL_SERVER_VERSION" out="$DIR/temporal-server-$TEMPORAL_SERVER_VERSION" cli embedded moddir t0=$SECONDS
  cli="$(paths_value temporal)"
  embedded="$(go version -m "$cli" | awk '$2 == "go.temporal.io/server" { sub(/^v/, "", $3); print $3 }')"
  if [[ "$embedded" != "$v" ]]; then
    echo "provision-cluster: the Temporal CLI at $cli embeds server $embedded, but $v is pinned here;" \
      "change TEMPORAL_SERVER_VERSION to match" >&2
    return 1
  fi
  rm -rf "$out" && mkdir -p "$out"
  echo "building the Temporal server v$v and its SQL tool with go install (first time only, about 3 minutes)…"
  (cd "$DIR" && GOBIN="$out/bin" nice go install \
    "go.temporal.io/server/cmd/server@v$v" "go.temporal.io/server/cmd/tools/sql@v$v")
  mv "$out/bin/server" "$out/temporal-server"
  mv "$out/bin/sql" "$out/temporal-sql-tool"
  rmdir "$out/bin"
  # The schema files temporal-sql-tool applies live in the module source, not in the binaries.
  moddir="$(cd "$DIR" && go mod download -json "go.temporal.io/server@v$v" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')"
  mkdir -p "$out/schema"
  cp -R "$moddir/schema/postgresql" "$out/schema/" && chmod -R u+w "$out/schema"
  "$out/temporal-server" --version >/dev/null
  touch "$out/.complete"
  echo "Temporal server v$v ready in $((SECONDS - t0)) s: $out"
}

# Unpacks Debian's postgresql-15 and its client, plus any shared library the server needs that
# the machine lacks, into $out/root; the binaries find their share/ files relative to themselves.
unpack_postgres() {
  local out="$DIR/postgresql-$POSTGRES_MAJOR" deb="$DIR/.debs-postgresql" v missing pkg t0=$SECONDS
  rm -rf "$out" "$deb" && mkdir -p "$out/root" "$deb"
  command -v apt-get >/dev/null 2>&1 || { echo "provision-cluster: PostgreSQL $POSTGRES_MAJOR is not installed and apt-get is not here to fetch it" >&2; return 1; }
  for v in "${POSTGRES_DEB_VERSIONS[@]}"; do
    if (cd "$deb" && apt-get download -q "postgresql-$POSTGRES_MAJOR=$v" "postgresql-client-$POSTGRES_MAJOR=$v" "libpq5=$v") >/dev/null; then
      [[ "$v" == "${POSTGRES_DEB_VERSIONS[0]}" ]] || echo "NOTE: PostgreSQL ${POSTGRES_DEB_VERSIONS[0]} was refused; using fallback $v"
      break
    fi
    rm -f "$deb"/*.deb
  done
  compgen -G "$deb/postgresql-${POSTGRES_MAJOR}_*.deb" >/dev/null || { echo "provision-cluster: no pinned PostgreSQL package could be downloaded (run apt-get update?)" >&2; return 1; }
  # The server's own library dependencies that dpkg does not list as installed come unpacked too.
  for pkg in $(apt-cache show "postgresql-$POSTGRES_MAJOR=$v" | sed -n 's/^Depends: //p' | tr ',' '\n' \
      | sed 's/|.*//; s/(.*)//; s/[[:space:]]//g' | grep '^lib' | grep -v '^libpq5$'); do
    dpkg -s "$pkg" >/dev/null 2>&1 || (cd "$deb" && apt-get download -q "$pkg" >/dev/null)
  done
  for f in "$deb"/*.deb; do dpkg -x "$f" "$out/root"; done
  rm -rf "$deb"
  missing="$(LD_LIBRARY_PATH="$(postgres_lib_path "$out/root")" ldd "$out/root/usr/lib/postgresql/$POSTGRES_MAJOR/bin/postgres" | grep 'not found' || true)"
  if [[ -n "$missing" ]]; then echo "provision-cluster: PostgreSQL lacks libraries: $missing" >&2; return 1; fi
  "$out/root/usr/lib/postgresql/$POSTGRES_MAJOR/bin/postgres" --version
  touch "$out/.complete"
  echo "PostgreSQL $v unpacked in $((SECONDS - t0)) s: $out/root"
}

postgres_lib_path() { echo "$1/usr/lib/x86_64-linux-gnu:$1/lib/x86_64-linux-gnu"; }

[[ -f "$DIR/temporal-server-$TEMPORAL_SERVER_VERSION/.complete" ]] || build_temporal_server

# SUMMIT_POSTGRES_UNPACKED=1 skips the installed server: how the unpacking path is tried on a machine that has one.
if [[ -x "$SYSTEM_POSTGRES/postgres" && "${SUMMIT_POSTGRES_UNPACKED:-}" != 1 ]]; then
  pg_bin="$SYSTEM_POSTGRES"; pg_lib=""
else
  [[ -f "$DIR/postgresql-$POSTGRES_MAJOR/.complete" ]] || unpack_postgres
  pg_bin="$DIR/postgresql-$POSTGRES_MAJOR/root/usr/lib/postgresql/$POSTGRES_MAJOR/bin"
  pg_lib="$(postgres_lib_path "$DIR/postgresql-$POSTGRES_MAJOR/root")"
fi
pg_version="$(LD_LIBRARY_PATH="$pg_lib" "$pg_bin/postgres" --version | awk '{ print $3 }')"

server="$DIR/temporal-server-$TEMPORAL_SERVER_VERSION"
tmp="$DIR/cluster-paths.json.$$"
cat >"$tmp" <<EOF
{
  "temporalServer": "$server/temporal-server",
  "temporalSqlTool": "$server/temporal-sql-tool",
  "temporalSchemaDir": "$server/schema/postgresql/v12",
  "postgresBin": "$pg_bin",
  "postgresLibraryPath": "$pg_lib",
  "versions": { "temporalServer": "$TEMPORAL_SERVER_VERSION", "postgres": "$pg_version" }
}
EOF
mv "$tmp" "$DIR/cluster-paths.json"
echo "cluster tools ready: $DIR/cluster-paths.json (Temporal server $TEMPORAL_SERVER_VERSION, PostgreSQL $pg_version)"
