import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startEmbeddedNode } from '../../src/cluster/embedded-node.js';
import { loadConfig } from '../../src/config.js';
import { startGateway, type Gateway } from '../../src/gateway.js';
import { silentLogger, type Logger } from '../../src/log.js';
import { migrations } from '../../src/store/migrations/index.js';
import { storeTables } from '../../src/store/tables.js';
import { CLUSTER } from '../support/cluster-queries.js';
import { appendSuccess, newEvents, postGraphQL, readStream } from '../support/test-gateway.js';

const folders: string[] = [];
const gateways: Gateway[] = [];

afterEach(async () => {
  await Promise.all(gateways.splice(0).map((gateway) => gateway.stop()));
  await Promise.all(folders.splice(0).map((folder) => fs.rm(folder, { recursive: true, force: true })));
});

const ROLE_OF_SESSION = `
  SELECT current_user AS role, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls
    FROM pg_roles WHERE rolname = current_user`;
const NOT_ROLE = { role: 'gater', rolsuper: false, rolcreatedb: false, rolcreaterole: false, rolreplication: false, rolbypassrls: false };

/** Objects in store schemas (the schemas included) that the app role does not own. */
const FOREIGN_OWNED = `
  SELECT nspname AS name FROM pg_namespace WHERE nspname LIKE 'gater\\_%' AND nspowner <> 'gater'::regrole
  UNION ALL
  SELECT c.oid::regclass::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname LIKE 'gater\\_%' AND c.relowner <> 'gater'::regrole
  UNION ALL
  SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
   WHERE n.nspname LIKE 'gater\\_%' AND p.proowner <> 'gater'::regrole`;

describe('the embedded node and its application role', () => {
  it('gives the gateway a role that is no superuser, and with it the gateway appends, reads and migrates', async () => {
    const dataDir = await reachableTempFolder();
    const lines: string[] = [];
    const gateway = await startEmbedded(dataDir, ['default', 'orders'], capture(lines));
    const client = clientOf(gateway);

    expect(await sessionRole(gateway)).toEqual(NOT_ROLE);
    await appendSuccess(client, { streamId: 'order-1', events: newEvents(3) });
    await appendSuccess(client, { store: 'orders', streamId: 'order-1', events: newEvents(1) });
    expect(await readStream(client, 'order-1')).toHaveLength(3);
    expect(await onLeader(gateway, FOREIGN_OWNED)).toEqual([]);
    expect(await onLeader(gateway, 'SELECT max(version) AS version FROM gater_orders.migrations')).toEqual([{ version: migrations.at(-1)!.version }]);

    // Not a single password, of either role, in what the gateway shows.
    const passwords = await storedPasswords(dataDir);
    const shown = [JSON.stringify(await client.gql(CLUSTER)), await (await fetch(new URL('/metrics', gateway.url))).text(), ...lines].join('\n');
    expect(shown).toContain('postgres://127.0.0.1:');
    for (const password of passwords) expect(shown).not.toContain(password);
  });

  it('takes over a data folder of an older version, whose stores the superuser made, and keeps them working', async () => {
    const dataDir = await reachableTempFolder();
    await makeOlderVersionDataDir(dataDir);

    const lines: string[] = [];
    const gateway = await startEmbedded(dataDir, ['legacy', 'partial'], capture(lines));
    const client = clientOf(gateway);

    expect(await sessionRole(gateway)).toEqual(NOT_ROLE);
    expect(lines.filter((line) => line.includes('now owns the stores'))).toHaveLength(1);
    expect(await onLeader(gateway, FOREIGN_OWNED)).toEqual([]);
    // The store left at migration 3 was migrated on by the app role, over the superuser's function.
    expect(await onLeader(gateway, 'SELECT max(version) AS version FROM gater_partial.migrations')).toEqual([{ version: migrations.at(-1)!.version }]);
    expect((await readStream(client, 'old-stream', 'legacy')).map((event) => event.version)).toEqual([0, 1]);
    await appendSuccess(client, { store: 'legacy', streamId: 'old-stream', expectedVersion: 1, events: newEvents(1) });
    await appendSuccess(client, { store: 'partial', streamId: 'new-stream', events: newEvents(2) });
    expect(await readStream(client, 'new-stream', 'partial')).toHaveLength(2);
    await gateway.stop();
    gateways.splice(gateways.indexOf(gateway), 1);

    const again: string[] = [];
    const restarted = await startEmbedded(dataDir, ['legacy', 'partial'], capture(again));
    expect(again.filter((line) => line.includes('now owns the stores'))).toEqual([]);
    expect(await readStream(clientOf(restarted), 'old-stream', 'legacy')).toHaveLength(3);
  });
});

/**
 * What an older version left: a credentials file with the superuser's password only, no app role, a
 * store made and written by a gateway that connected as the superuser, and a store it migrated halfway.
 */
async function makeOlderVersionDataDir(dataDir: string): Promise<void> {
  const node = await startEmbeddedNode({ dataDir, durable: false });
  try {
    const superuserUrl = onDatabase(node.adminUrl, 'gater');
    const old = await startGateway(loadConfig({ GATER_NODES: superuserUrl, PORT: '0', GATER_STORES: 'legacy' }), { log: silentLogger });
    try {
      await appendSuccess(clientOf(old), { store: 'legacy', streamId: 'old-stream', events: newEvents(2) });
    } finally {
      await old.stop();
    }
    await asSuperuser(superuserUrl, async (client) => {
      const tables = storeTables('partial');
      await client.query(`CREATE SCHEMA ${tables.schema}`);
      await client.query(`CREATE TABLE ${tables.migrations} (version integer PRIMARY KEY, name text NOT NULL, applied timestamptz NOT NULL DEFAULT now())`);
      for (const migration of migrations.slice(0, 3)) {
        await client.query(migration.sql(tables));
        await client.query(`INSERT INTO ${tables.migrations} (version, name) VALUES ($1, $2)`, [migration.version, migration.name]);
      }
      await client.query('DROP OWNED BY gater');
      await client.query('DROP ROLE gater');
    });
  } finally {
    await node.stop();
  }
  const file = path.join(dataDir, 'credentials');
  const { user, password } = JSON.parse(await fs.readFile(file, 'utf8')) as { user: string; password: string };
  await fs.writeFile(file, `${JSON.stringify({ user, password })}\n`, { mode: 0o600 });
}

async function startEmbedded(dataDir: string, stores: string[], log: Logger): Promise<Gateway> {
  const gateway = await startGateway(loadConfig({ GATER_DATA_DIR: dataDir, PORT: '0', GATER_STORES: stores.join(',') }), { log });
  gateways.push(gateway);
  return gateway;
}

function clientOf(gateway: Gateway) {
  return { gql: <T>(query: string, variables?: Record<string, unknown>) => postGraphQL<T>(gateway.url, query, variables) };
}

function capture(lines: string[]): Logger {
  return { info: (line) => lines.push(line), error: (line, cause) => lines.push(`${line} ${String(cause)}`) };
}

async function onLeader(gateway: Gateway, sql: string): Promise<Record<string, unknown>[]> {
  return (await gateway.cluster.leader().query(sql)).rows;
}

async function sessionRole(gateway: Gateway): Promise<Record<string, unknown> | undefined> {
  return (await onLeader(gateway, ROLE_OF_SESSION))[0];
}

async function storedPasswords(dataDir: string): Promise<string[]> {
  const stored = JSON.parse(await fs.readFile(path.join(dataDir, 'credentials'), 'utf8')) as { password: string; app: { password: string } };
  expect(stored.app.password).not.toBe(stored.password);
  return [stored.password, stored.app.password];
}

function onDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function asSuperuser(url: string, run: (client: pg.Client) => Promise<void>): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await run(client);
  } finally {
    await client.end();
  }
}

/** mkdtemp makes 0700 folders; as root the server's `postgres` user has to get in. */
async function reachableTempFolder(): Promise<string> {
  const folder = await fs.mkdtemp(path.join(os.tmpdir(), 'gater-app-role-'));
  folders.push(folder);
  await fs.chmod(folder, 0o755);
  return folder;
}
