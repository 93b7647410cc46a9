#!/usr/bin/env bash
# Validates docker-compose.yml: `docker compose config -q` (or docker-compose) where a Compose CLI exists, with
# placeholder secrets; always the structural checks of check-compose.mjs. Refuses when a secret may be omitted.
set -euo pipefail
cd "$(dirname "$0")/../.."
compose=()
if docker compose version >/dev/null 2>&1; then compose=(docker compose)
elif command -v docker-compose >/dev/null 2>&1; then compose=(docker-compose)
fi
if [ ${#compose[@]} -gt 0 ]; then
  secrets=(POSTGRES_PASSWORD=x PLATFORM_ADMIN_TOKEN=x MFA_ENCRYPTION_KEY=x CHANNEL_CALLBACK_SECRET=x
    PORTAL_URL=https://portal.example.com PUBLIC_API_URL=https://api.example.com SMTP_URL=smtp://mail:25)
  env -i PATH="$PATH" "${secrets[@]}" "${compose[@]}" -f docker-compose.yml config -q
  if env -i PATH="$PATH" "${secrets[@]:1}" "${compose[@]}" -f docker-compose.yml config -q 2>/dev/null; then
    echo "docker-compose.yml accepted a missing POSTGRES_PASSWORD" >&2
    exit 1
  fi
  echo "docker-compose.yml: ${compose[*]} config -q passed"
fi
node scripts/docker/check-compose.mjs
