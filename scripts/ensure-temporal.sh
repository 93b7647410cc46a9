#!/usr/bin/env bash
# Prints the path of a Temporal CLI (dev server + Web UI), building the pinned version with `go install` if needed.
# Pinned: v1.5.1 (server 1.29, UI 2.42). From v1.6.0 on, the CLI's go.mod carries a `replace` directive,
# which `go install module@version` refuses; v1.5.1 has none and builds with Go >= 1.25.
set -euo pipefail

VERSION="${TEMPORAL_CLI_VERSION:-v1.5.1}"
CACHE_DIR="${PORTAL_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/payments-portal}/temporal-cli-${VERSION#v}"
BIN="$CACHE_DIR/temporal"

if [ -n "${TEMPORAL_BIN:-}" ] && [ -x "$TEMPORAL_BIN" ]; then echo "$TEMPORAL_BIN"; exit 0; fi
if [ -x "$BIN" ]; then echo "$BIN"; exit 0; fi
if command -v temporal >/dev/null 2>&1 && temporal server start-dev --help >/dev/null 2>&1; then
  command -v temporal; exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  cat >&2 <<MSG
No Temporal CLI found and no Go toolchain to build one.
Install one of:
  - Go >= 1.25, then rerun (this script runs: go install github.com/temporalio/cli/cmd/temporal@$VERSION)
  - the Temporal CLI on your PATH (https://docs.temporal.io/cli), or set TEMPORAL_BIN to its path
  - or point TEMPORAL_ADDRESS at a running Temporal server.
MSG
  exit 1
fi
mkdir -p "$CACHE_DIR"
echo "Building Temporal CLI $VERSION into $CACHE_DIR (one time, a few minutes)..." >&2
GOBIN="$CACHE_DIR" GOFLAGS="${GOFLAGS:-} -trimpath" go install "github.com/temporalio/cli/cmd/temporal@$VERSION" >&2
echo "$BIN"
