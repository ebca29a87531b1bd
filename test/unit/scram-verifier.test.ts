import { describe, expect, it } from 'vitest';
import { scramVerifier, verifies } from '../../src/cluster/embedded/scram-verifier.js';

describe('the SCRAM-SHA-256 verifier of a password', () => {
  it('has the shape PostgreSQL stores, and does not contain the password', async () => {
    const verifier = await scramVerifier('s3cret-password');
    expect(verifier).toMatch(/^SCRAM-SHA-256\$4096:[A-Za-z0-9+/=]{24}\$[A-Za-z0-9+/=]{44}:[A-Za-z0-9+/=]{44}$/);
    expect(verifier).not.toContain('s3cret');
  });

  it('is salted anew each time, and verifies the password it was made from only', async () => {
    const [first, second] = [await scramVerifier('pw-one'), await scramVerifier('pw-one')];
    expect(first).not.toBe(second);
    expect(await verifies(first, 'pw-one')).toBe(true);
    expect(await verifies(first, 'pw-two')).toBe(false);
    expect(await verifies(null, 'pw-one')).toBe(false);
    expect(await verifies('md5abcdef', 'pw-one')).toBe(false);
  });
});
