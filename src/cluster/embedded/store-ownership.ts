import type pg from 'pg';

/** Store schemas are named `gater_<store id>` (see store/tables.ts); `_` is escaped for LIKE. */
const STORE_SCHEMAS = 'gater\\_%';

/**
 * One ALTER … OWNER statement for each store schema, and each table, view,
 * sequence and function in one, that `role` does not own yet. Indexes, and
 * sequences that belong to a column, follow their table.
 */
const PENDING_TRANSFERS = `
  SELECT statement FROM (
    SELECT 1 AS step, format('ALTER SCHEMA %I OWNER TO %I', n.nspname, $2::text) AS statement
      FROM pg_namespace n
     WHERE n.nspname LIKE $1::text AND n.nspowner <> to_regrole($2::text)
    UNION ALL
    SELECT 2, format('ALTER %s %s OWNER TO %I',
                     CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE'
                                    WHEN 'S' THEN 'SEQUENCE' ELSE 'TABLE' END,
                     c.oid::regclass, $2::text)
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname LIKE $1::text AND c.relowner <> to_regrole($2::text) AND c.relkind IN ('r', 'p', 'v', 'm', 'f', 'S')
       AND NOT (c.relkind = 'S' AND EXISTS (
             SELECT 1 FROM pg_depend d
              WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype IN ('a', 'i')))
    UNION ALL
    SELECT 3, format('ALTER %s %s OWNER TO %I',
                     CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,
                     p.oid::regprocedure, $2::text)
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
     WHERE n.nspname LIKE $1::text AND p.proowner <> to_regrole($2::text)
  ) AS pending
  ORDER BY step`;

/**
 * Older versions made the stores' schemas as the superuser. The app role
 * takes them over with everything in them: it needs to be their owner to run
 * later migrations (CREATE OR REPLACE FUNCTION is the owner's). Answers how
 * many objects changed hands; 0 once done.
 */
export async function handStoresTo(client: pg.Client, role: string): Promise<number> {
  const { rows } = await client.query<{ statement: string }>(PENDING_TRANSFERS, [STORE_SCHEMAS, role]);
  if (rows.length === 0) return 0;
  await client.query('BEGIN');
  try {
    for (const { statement } of rows) await client.query(statement);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
  return rows.length;
}
