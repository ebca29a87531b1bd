import { Histogram, Registry } from 'prom-client';
import { expect, it } from 'vitest';
import { OperationDurations } from '../../src/server/metrics/operation-durations.js';

function durations(maxNames: number) {
  const registry = new Registry();
  const histogram = new Histogram({ name: 'ops_seconds', help: 'ops', labelNames: ['type', 'name'] as const, registers: [registry] });
  const counts = async () => {
    const [metric] = (await registry.getMetricsAsJSON()) as { values: { metricName?: string; labels: Record<string, string>; value: number }[] }[];
    const byLabels = new Map<string, number>();
    for (const { metricName, labels, value } of metric!.values) {
      if (metricName === 'ops_seconds_count') byLabels.set(`${labels.type}/${labels.name}`, value);
    }
    return byLabels;
  };
  return { operations: new OperationDurations(histogram, maxNames), counts };
}

it('gives the first names their own series and counts the names after them as "other"', async () => {
  const { operations, counts } = durations(2);
  for (const name of ['A', 'B', 'C', 'D', 'A', 'C']) operations.observe('query', name, 0.001);
  expect(await counts()).toEqual(new Map([['query/A', 2], ['query/B', 1], ['query/other', 3]]));
});

it('labels an operation without a name "anonymous", which takes no place among the names', async () => {
  const { operations, counts } = durations(1);
  operations.observe('query', undefined, 0.001);
  operations.observe('mutation', 'Append', 0.001);
  operations.observe('mutation', undefined, 0.001);
  operations.observe('mutation', 'Other', 0.001);
  expect(await counts()).toEqual(new Map([['query/anonymous', 1], ['mutation/Append', 1], ['mutation/anonymous', 1], ['mutation/other', 1]]));
});

it('keeps "other" for operations named so, past the bound or not', async () => {
  const { operations, counts } = durations(1);
  operations.observe('query', 'other', 0.001);
  operations.observe('query', 'First', 0.001);
  expect(await counts()).toEqual(new Map([['query/other', 1], ['query/First', 1]]));
});
