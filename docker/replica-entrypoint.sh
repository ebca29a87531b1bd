#!/bin/bash
# The replica: on first start, a copy of the primary taken with pg_basebackup, then a hot standby
# streaming from it under the name the primary's synchronous_standby_names waits for.
set -euo pipefail

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready --host primary --username replicator --quiet; do sleep 1; done
  PGPASSWORD="$REPLICATION_PASSWORD" pg_basebackup --host primary --username replicator \
    --pgdata "$PGDATA" --wal-method stream --checkpoint fast --write-recovery-conf
  # Over the connection string -R wrote: the name is what makes this standby the synchronous one.
  echo "primary_conninfo = 'host=primary port=5432 user=replicator password=$REPLICATION_PASSWORD application_name=replica'" \
    >> "$PGDATA/postgresql.auto.conf"
fi

exec postgres
