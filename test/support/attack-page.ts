import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A page of another site that tries, once loaded, what such a page can make
 * a browser send to a gateway: form posts of mutations, a fetch with
 * credentials, a "simple" fetch, a GET mutation as an image, and a WebSocket
 * that appends. It prints each outcome as the page sees it, and sets
 * `data-done` on <body> once all have one.
 */
const PAGE = /* html */ `<!doctype html>
<html>
<head>
<meta charset="utf-8">
<title>Another site's page</title>
<style>
  body { font: 15px/1.5 sans-serif; margin: 24px; max-width: 1100px; }
  h1 { font-size: 20px; margin: 0 0 4px; }
  p { margin: 0 0 16px; color: #555; }
  li { margin: 6px 0; padding: 6px 10px; border-radius: 4px; background: #f3f3f3; list-style: none; word-break: break-all; }
  li b { display: inline-block; min-width: 390px; }
  li.ran { background: #fff1cc; }
  li.refused { background: #e1f5e4; }
  ul { padding: 0; }
  iframe { display: none; }
</style>
</head>
<body>
<h1>A page on <span id="origin"></span> calling a gateway</h1>
<p id="target"></p>
<ul id="results"></ul>
<script>
const params = new URL(location.href).searchParams;
const gateway = params.get('gateway');
const stream = params.get('stream');
document.getElementById('origin').textContent = location.origin;
document.getElementById('target').textContent = 'gateway: ' + gateway + ', stream: ' + stream;
const SAVE = 'mutation { saveSubscription(input: { name: "' + stream + '", type: BY_STREAM, selector: "' + stream + '" }) { name } }';
const APPEND = 'mutation { appendEvents(input: { streamId: "' + stream + '", events: [{ type: "FromAnotherSite" }] }) { __typename } }';
const tagged = (attack) => gateway + '?attack=' + attack;

function report(attack, label, outcome, ran) {
  const item = document.createElement('li');
  item.dataset.attack = attack;
  item.dataset.outcome = outcome;
  item.className = ran ? 'ran' : 'refused';
  item.innerHTML = '<b></b><span></span>';
  item.firstChild.textContent = label;
  item.lastChild.textContent = outcome;
  document.getElementById('results').append(item);
}

function formPost(attack, enctype, fields) {
  return new Promise((resolve) => {
    const frame = document.createElement('iframe');
    frame.name = attack;
    document.body.append(frame);
    const form = document.createElement('form');
    form.method = 'POST';
    form.enctype = enctype;
    form.action = tagged(attack);
    form.target = attack;
    for (const [name, value] of fields) {
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = name;
      input.value = value;
      form.append(input);
    }
    document.body.append(form);
    frame.addEventListener('load', () => resolve('sent; its answer is hidden from this page'), { once: true });
    form.submit();
  });
}

async function fetchWithCredentials() {
  try {
    const response = await fetch(tagged('fetch'), {
      method: 'POST',
      credentials: 'include',
      headers: { 'content-type': 'application/json', authorization: 'Bearer from-the-page' },
      body: JSON.stringify({ query: APPEND }),
    });
    return { ran: true, outcome: 'answered ' + response.status + ': ' + (await response.text()) };
  } catch (error) {
    return { ran: false, outcome: 'refused: ' + error };
  }
}

async function simpleFetch() {
  await fetch(tagged('simple-fetch'), { method: 'POST', mode: 'no-cors', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ query: APPEND }) });
  return 'sent; its answer is hidden from this page';
}

function imageGet() {
  return new Promise((resolve) => {
    const image = new Image();
    image.onload = image.onerror = () => resolve('sent; no image came back');
    image.src = tagged('image') + '&query=' + encodeURIComponent(APPEND);
  });
}

function webSocket() {
  return new Promise((resolve) => {
    const socket = new WebSocket(tagged('websocket').replace(/^http/, 'ws'), 'graphql-transport-ws');
    let opened = false;
    socket.onopen = () => {
      opened = true;
      socket.send(JSON.stringify({ type: 'connection_init' }));
    };
    socket.onmessage = (message) => {
      const data = JSON.parse(message.data);
      if (data.type === 'connection_ack') socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query: APPEND } }));
      if (data.type === 'next' || data.type === 'error') {
        resolve({ ran: true, outcome: 'opened; ran: ' + JSON.stringify(data.payload) });
        socket.close();
      }
    };
    socket.onclose = (event) => {
      if (!opened) resolve({ ran: false, outcome: 'refused: closed before it opened (code ' + event.code + ')' });
    };
  });
}

(async () => {
  report('form-urlencoded', 'form post of saveSubscription', await formPost('form-urlencoded', 'application/x-www-form-urlencoded', [['query', SAVE]]), false);
  // The field's name and value join into a JSON body: {"query":"…","padding":"="}.
  const json = JSON.stringify({ query: APPEND, padding: '' });
  report('form-text-plain', 'text/plain form post of appendEvents (JSON body)', await formPost('form-text-plain', 'text/plain', [[json.slice(0, -2), '"}']]), false);
  const fetched = await fetchWithCredentials();
  report('fetch', 'fetch with credentials (Authorization)', fetched.outcome, fetched.ran);
  report('simple-fetch', 'simple fetch (no-cors, text/plain)', await simpleFetch(), false);
  report('image', 'GET mutation as an <img>', await imageGet(), false);
  const socket = await webSocket();
  report('websocket', 'WebSocket that appends', socket.outcome, socket.ran);
  document.body.dataset.done = 'true';
})();
</script>
</body>
</html>`;

export interface AttackPage {
  /** The page's origin: http://localhost:PORT, another site than a gateway on 127.0.0.1. */
  origin: string;
  /** The page's address, aimed at this gateway and writing to this stream. */
  url(gatewayUrl: string, stream: string): string;
  stop(): Promise<void>;
}

export async function startAttackPage(): Promise<AttackPage> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(PAGE);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://localhost:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    url: (gatewayUrl, stream) => `${origin}/?gateway=${encodeURIComponent(gatewayUrl)}&stream=${encodeURIComponent(stream)}`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
