#!/bin/sh
# Temporal's schemas on PostgreSQL with Temporal's own tool (run by the temporal-schema service in
# docker-compose.yml): upgrades an existing schema, or sets up version 0.0 first on an empty database.
set -eu
SCHEMA=/etc/temporal/schema/postgresql/v12
sql() { temporal-sql-tool --plugin "$DB" --ep "$POSTGRES_SEEDS" -p "$DB_PORT" -u "$POSTGRES_USER" --pw "$POSTGRES_PWD" "$@"; }
for pair in "$DBNAME:temporal" "$VISIBILITY_DBNAME:visibility"; do
  db="${pair%%:*}"
  dir="$SCHEMA/${pair##*:}/versioned"
  if ! sql --db "$db" update-schema -d "$dir"; then
    echo "no schema in $db yet: setting it up"
    sql --db "$db" setup-schema -v 0.0
    sql --db "$db" update-schema -d "$dir"
  fi
done
echo "temporal schemas are up to date"
