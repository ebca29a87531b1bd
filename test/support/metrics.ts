import { expect } from 'vitest';

export interface Scrape {
  contentType: string | null;
  /** Each sample by its name and labels, as written: `gater_tailers`, `gater_live_subscriptions{kind="stream"}`. */
  samples: Map<string, number>;
  text: string;
}

/** GET /metrics, as Prometheus scrapes it. */
export async function scrapeMetrics(origin: string): Promise<Scrape> {
  const response = await fetch(`${origin}/metrics`);
  expect(response.status).toBe(200);
  const text = await response.text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    samples.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return { contentType: response.headers.get('content-type'), samples, text };
}
