import { createHash } from 'node:crypto';
import { expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations/index.js';
import { storeTables } from '../../src/store/tables.js';

/**
 * The SQL of every released migration, as a digest, for a store named
 * "pinned". A database that applied a migration never applies it again, so
 * a changed text would make new stores differ from old ones: change the
 * schema with a new migration instead, and pin its digest here once it ships.
 */
const RELEASED: Record<number, string> = {
  1: 'b3ede39128a1bdbf47310189c99194802fbe12e031154d669925f13e78c251d6',
  2: '0c78b21b0985cefcd6b7ee2b255fc5462139dbaf770f80fcb8c33d876221959a',
  3: '80df227827ba51a435f151b3f89cbfadd4afea12160d4e9d09f425f21b2e439e',
  4: '28cbc42daad2bdc379e510f2d36d71dc2daf87b2d49966bd6c803c8f653460c7',
  5: '93727d22985ae1ea45d4409eceaa8afdc27cdfff3fa8554cdd01b46a539e513b',
  6: 'daa119cd2b7221901e5ffd4ac7750f6ce2c547f68bd990de7239ca08fb17f8ee',
  7: 'ac9572dd8487d42bc75ff2195328d8795b4df6b610bb8f847cbafa396783d0a0',
  8: 'c387e861fa7f42568b80d48e2e428395dcc4816a72dde54b5d294c6646c9d93d',
  9: 'e9eab27d9c354345fc5f3e215c1303230b63ed5f3fd63636dd5c5c78e9e7db37',
  10: 'a647d74d434d1b09d32f6a0f34f2a825b1e3cea664f2eaf30bf4c7c935d3a563',
  11: '94d728873d7b1a29f82f8e3d504dae1a121c38f801ef9f7c0442318850373206',
  12: '0b2e749b4a0975d29f20e842dfdb8630230ecc2517e220ba0938d2c6e65bc680',
  13: '980ec79cf97e78fec109de72d60a78166603566c1db0a10f498792af4b257609',
};

it('leaves the SQL of every released migration as it shipped', () => {
  const tables = storeTables('pinned');
  const digests = Object.fromEntries(
    migrations
      .filter((migration) => migration.version in RELEASED)
      .map((migration) => [migration.version, createHash('sha256').update(migration.sql(tables)).digest('hex')]),
  );
  expect(digests).toEqual(RELEASED);
});
