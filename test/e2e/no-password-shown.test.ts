import { beforeAll, describe, expect, it } from 'vitest';
import { clusterOf } from '../support/cluster-queries.js';
import { useGateway } from '../support/use-gateway.js';

/** A gateway whose GATER_NODES URL carries a password (the test server's superuser's). */
describe('the password in GATER_NODES', () => {
  const lines: string[] = [];
  const gw = useGateway({ log: { info: (line) => lines.push(line), error: (line, cause) => lines.push(`${line} ${String(cause)}`) } });
  let password: string;

  beforeAll(() => {
    password = decodeURIComponent(new URL(gw.databaseUrl).password);
  });

  it('is in no node address of the cluster query', async () => {
    const cluster = await clusterOf(gw);
    const addresses = [cluster.leader!, ...cluster.nodes].map((node) => node.address);
    for (const address of addresses) expect(address).toMatch(/^postgres:\/\/[^@]+$/);
    if (password) expect(JSON.stringify(cluster)).not.toContain(password);
  });

  it('is in no log line, no metric and no readiness report', async () => {
    expect(lines.length).toBeGreaterThan(0);
    const metrics = await (await fetch(new URL('/metrics', gw.origin))).text();
    const readiness = await (await fetch(new URL('/ready', gw.origin))).text();
    expect(readiness).toContain('"checks"');
    for (const text of [...lines, metrics, readiness]) {
      expect(text).not.toMatch(/postgres(ql)?:\/\/[^\s"]*:[^\s"*]+@/);
      if (password) expect(text).not.toContain(password);
    }
  });
});
