import http from 'node:http';

const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

/**
 * POSTs JSON over a kept-alive connection with node:http, which costs the
 * load generator far less CPU than fetch; on a 2-core machine that CPU would
 * otherwise be taken from the server being measured. A kept-alive connection
 * the server closed while idle, just as this request went out on it, is reset
 * before any answer: the request is sent once more on a new connection, as
 * node:http's documentation advises (`request.reusedSocket`).
 */
export function postJson(url: URL, body: string): Promise<string> {
  return postOnce(url, body).catch((error: NodeJS.ErrnoException & { reusedSocket?: boolean }) => {
    if (error.reusedSocket && error.code === 'ECONNRESET') return postOnce(url, body);
    throw error;
  });
}

function postOnce(url: URL, body: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve(Buffer.concat(chunks).toString()));
        response.on('error', reject);
      },
    );
    request.on('error', (error) => reject(Object.assign(error, { reusedSocket: request.reusedSocket })));
    request.end(body);
  });
}
