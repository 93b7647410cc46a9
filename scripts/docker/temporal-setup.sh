#!/bin/sh
# Registers what the portal needs on the Temporal server (run by the temporal-setup service in docker-compose.yml
# before api and worker start): the default namespace and the search attributes (workflows/search-attributes.ts).
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1 ||
  temporal operator namespace create --namespace "$NAMESPACE" --retention 30d
until temporal operator namespace describe --namespace "$NAMESPACE" >/dev/null 2>&1; do sleep 1; done
existing="$(temporal operator search-attribute list --namespace "$NAMESPACE")"
for name in TenantId WorkspaceId OperationStatus NeedsAttention; do
  if echo "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create --namespace "$NAMESPACE" --name "$name" --type Keyword
  fi
done
