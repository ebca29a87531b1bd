import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';
import { expect } from 'vitest';

export interface Scrape {
  contentType: string | null;
  /** Each family declared, by name: its TYPE (COUNTER, GAUGE, HISTOGRAM…) and HELP. */
  families: Map<string, Pick<ParsedFamily, 'type' | 'help'>>;
  /**
   * Each sample by its name and labels, as written: `gater_tailers`, `gater_live_subscriptions{kind="stream"}`,
   * and a histogram's own: `gater_append_batch_events_count{store="default"}`.
   */
  samples: Map<string, number>;
  text: string;
}

/**
 * GET /metrics, as Prometheus scrapes it, read by a parser of the text format
 * (which throws on a malformed line). The parser folds every series of a
 * labelled histogram into one, so for the samples it reads a histogram's
 * `_bucket`, `_sum` and `_count` lines as the plain samples they are in the format.
 */
export async function scrapeMetrics(origin: string): Promise<Scrape> {
  const response = await fetch(`${origin}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  const families = new Map(parsePrometheusTextFormat(text).map(({ name, type, help }) => [name, { type, help }]));
  const samples = new Map<string, number>();
  for (const family of parsePrometheusTextFormat(text.replace(/^# TYPE (\S+) histogram$/gm, '# TYPE $1 untyped'))) {
    for (const { labels = {}, value } of family.metrics) {
      const pairs = Object.entries(labels).map(([key, label]) => `${key}="${label}"`);
      samples.set(`${family.name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''}`, Number(value));
    }
  }
  return { contentType: response.headers.get('content-type'), families, samples, text };
}
