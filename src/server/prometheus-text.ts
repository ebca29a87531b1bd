/** One value of a metric, with its labels. */
export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

export interface MetricFamily {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  samples: Sample[];
}

/** Label values may hold anything a store id or reason can; the format escapes three characters. */
function labelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function sampleLine(name: string, { labels = {}, value }: Sample): string {
  const pairs = Object.entries(labels).map(([key, label]) => `${key}="${labelValue(label)}"`);
  return `${name}${pairs.length > 0 ? `{${pairs.join(',')}}` : ''} ${value}`;
}

/** Prometheus' text exposition format (version 0.0.4). */
export function prometheusText(families: readonly MetricFamily[]): string {
  const lines = families.flatMap(({ name, type, help, samples }) => [
    `# HELP ${name} ${help}`,
    `# TYPE ${name} ${type}`,
    ...samples.map((sample) => sampleLine(name, sample)),
  ]);
  return `${lines.join('\n')}\n`;
}
