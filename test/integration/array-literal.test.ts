import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { arrayLiteral } from '../../src/store/array-literal.js';

describe('array literals passed as text[], uuid[] and int[] parameters', () => {
  const client = new pg.Client({ connectionString: inject('pgAdminUrl') });
  beforeAll(() => client.connect());
  afterAll(() => client.end());

  it('reads back every string as it was, whatever characters it holds', async () => {
    const strings = ['orders-1', '', 'NULL', 'null', 'a,b', '{x}', ' padded ', 'quote"d', 'back\\slash', '\\"', 'é ünï 💡', 'line\nbreak'];
    const { rows } = await client.query<{ a: string[] }>('SELECT $1::text[] AS a', [arrayLiteral(strings)]);
    expect(rows[0]!.a).toEqual(strings);
  });

  it('reads back uuids and integers, and an empty array as empty', async () => {
    const ids = ['5b4b9f8e-4a57-4d0e-9a76-7f5f3f2c1a10', '00000000-0000-4000-8000-000000000000'];
    const { rows } = await client.query<{ ids: string[]; versions: number[]; none: string[] }>(
      'SELECT $1::uuid[] AS ids, $2::int[] AS versions, $3::text[] AS none',
      [arrayLiteral(ids), arrayLiteral([0, -1, 2_147_483_647]), arrayLiteral([])],
    );
    expect(rows[0]).toEqual({ ids, versions: [0, -1, 2_147_483_647], none: [] });
  });
});
