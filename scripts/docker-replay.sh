#!/usr/bin/env bash
# Replays the Dockerfile without a Docker engine: the build stage's COPY, ENV and RUN steps run in a clean temp
# directory (the same npm ci against the same lock file, the same build), then its COPY --from=build steps assemble
# the runtime stage's /app in a second directory, which scripts/docker/verify-image.mjs checks (native bindings,
# workflow bundle, every entry point links). Not replayed: `apt-get` (installs tini) and USER (needs an image).
# Uses the node and npm on PATH (CI puts the project's Node 24 first) and the usual npm cache.
set -euo pipefail
REPO="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/docker-replay.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/build" "$WORK/runtime"
echo "docker-replay: node $(node --version), npm $(npm --version), in $WORK"
export npm_config_prefer_offline=true # reuse the npm cache CI's own install filled

# The Dockerfile as one instruction per line (continuations joined, comments dropped).
instructions() {
  sed -e 's/\r$//' "$REPO/Dockerfile" | awk '
    /^[[:space:]]*#/ { next }
    { line = line $0 }
    /\\$/ { sub(/\\$/, "", line); next }
    { if (line ~ /[^[:space:]]/) print line; line = "" }'
}

stage=""
started=$SECONDS
while IFS= read -r line; do
  read -r op rest <<<"$line"
  case "$op" in
    FROM) stage="${rest##* AS }"; echo "== stage $stage" ;;
    WORKDIR | EXPOSE | HEALTHCHECK | ENTRYPOINT | CMD | USER) ;;
    ENV)
      if [ "$stage" = build ]; then eval "export $rest"; fi ;;
    COPY)
      read -r -a args <<<"$rest"
      from=""
      files=()
      for a in "${args[@]}"; do
        case "$a" in --from=*) from="${a#--from=}" ;; --*) ;; *) files+=("$a") ;; esac
      done
      dest="${files[-1]}"
      unset 'files[-1]'
      for f in "${files[@]}"; do
        if [ -n "$from" ]; then
          src="$WORK/$from/${f#/app/}"
          target="$WORK/$stage/${dest#./}"
        else
          src="$REPO/$f"
          target="$WORK/$stage/${dest#./}"
        fi
        echo "-- COPY $f -> ${dest}"
        link=""
        if [ -n "$from" ]; then link="-l"; fi # between stages: hard links, a copy's result at a fraction of its cost
        if [ -d "$src" ]; then mkdir -p "$target" && cp -a $link "$src/." "$target/"; else cp -a "$src" "$target"; fi
      done ;;
    RUN)
      if [[ "$rest" == *apt-get* ]]; then echo "-- skipped (needs the image's Debian): RUN $rest"; continue; fi
      if [ "$stage" != build ]; then echo "docker-replay: RUN in stage $stage is not replayed: $rest" >&2; exit 1; fi
      echo "-- RUN $rest"
      (cd "$WORK/build" && bash -euo pipefail -c "$rest") ;;
    *) echo "docker-replay: unknown instruction $op" >&2; exit 1 ;;
  esac
done < <(instructions)

echo "== checking the runtime stage's /app"
node "$REPO/scripts/docker/verify-image.mjs" "$WORK/runtime"
echo "docker-replay: passed in $((SECONDS - started)) s"
