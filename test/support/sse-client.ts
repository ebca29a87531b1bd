import { Collector, type Collected } from './ws-client.js';

export interface SseRequest {
  /** GET puts the operation in the query string; POST sends it as a JSON body. */
  method: 'GET' | 'POST';
  query: string;
  variables?: Record<string, unknown>;
  /** More request headers (a credential, say). */
  headers?: Record<string, string>;
}

/**
 * A subscription over yoga's Server-Sent Events (`accept: text/event-stream`
 * on /graphql), read frame by frame: `event: next` with the result in
 * `data:`, then `event: complete`. Unsubscribing aborts the request.
 */
export function subscribeSse<T>(url: string, { method, query, variables, headers = {} }: SseRequest): Collected<T> & { status: Promise<number> } {
  const abort = new AbortController();
  const collector = new Collector<T>(() => abort.abort());
  const target = new URL(url);
  if (method === 'GET') {
    target.searchParams.set('query', query);
    if (variables) target.searchParams.set('variables', JSON.stringify(variables));
  }
  const response = fetch(target, {
    method,
    headers: { accept: 'text/event-stream', ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...headers },
    body: method === 'POST' ? JSON.stringify({ query, variables }) : undefined,
    signal: abort.signal,
  });
  void response
    .then((answer) => readFrames(answer, collector))
    .catch((error: Error) => {
      if (!abort.signal.aborted) collector.fail([{ message: `SSE request failed: ${error.message}` }]);
    });
  return Object.assign(collector, { status: response.then((answer) => answer.status) });
}

async function readFrames<T>(response: Response, collector: Collector<T>): Promise<void> {
  const decoder = new TextDecoder();
  let buffered = '';
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffered += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffered.indexOf('\n\n')) >= 0) {
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let event = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event:')) event = line.slice('event:'.length).trim();
        else if (line.startsWith('data:')) data += line.slice('data:'.length).trimStart();
        // Lines starting with ":" are keep-alive comments.
      }
      if (event === 'next') collector.result(JSON.parse(data));
      else if (event === 'complete') collector.complete();
    }
  }
  collector.complete();
}
