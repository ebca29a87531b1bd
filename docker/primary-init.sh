#!/bin/bash
# Runs once, when the official image initialises an empty data folder: the gateway's role and database,
# a role for the replica to stream with, and the pg_hba.conf line that lets it.
set -euo pipefail

psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  -v gater_password="$GATER_DB_PASSWORD" -v replication_password="$REPLICATION_PASSWORD" <<'SQL'
-- This server already runs with synchronous_standby_names, and the replica does not exist yet:
-- these commits must not wait for it.
SET synchronous_commit = local;
-- The gateway's role owns its database and the store schemas in it, and is no superuser.
CREATE ROLE gater LOGIN PASSWORD :'gater_password';
CREATE DATABASE gater OWNER gater;
CREATE ROLE replicator REPLICATION LOGIN PASSWORD :'replication_password';
SQL

# "all" in the database column does not cover replication connections: they need a line of their own.
echo "host replication replicator all scram-sha-256" >> "$PGDATA/pg_hba.conf"
