import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { useGateway } from '../support/use-gateway.js';

const ALLOWED = 'http://ops.example';
const FOREIGN = 'http://evil.example';

/** A GET with the path sent exactly as written (fetch would resolve the dots first). */
function rawGet(origin: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(origin);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * How the gateway serves the dashboard's files: a fixed list, with their
 * content types, a content security policy on the page, nothing else from
 * the disk, and the cross-site policy of the API.
 */
describe('the dashboard files', () => {
  const gw = useGateway({ env: { GATER_CORS_ORIGINS: ALLOWED } });

  it('serves the page with a strict content security policy and the modules as JavaScript', async () => {
    const page = await fetch(`${gw.origin}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const policy = page.headers.get('content-security-policy') ?? '';
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(await page.text()).toContain('<gater-dashboard>');

    const entry = await fetch(`${gw.origin}/dashboard/gater-dashboard.js`);
    expect(entry.status).toBe(200);
    expect(entry.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const source = await entry.text();
    // Bare specifiers are rewritten to the paths they are served at.
    expect(source).toContain("from '/dashboard/modules/lit/index.js'");
    expect(source).not.toMatch(/from ['"]lit['"]/);
    const lit = await fetch(`${gw.origin}/dashboard/modules/lit-html/lit-html.js`);
    expect(lit.status).toBe(200);
    expect(lit.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await fetch(`${gw.origin}/dashboard/page.css`)).headers.get('content-type')).toBe('text/css; charset=utf-8');
  });

  it('answers an unchanged file with 304, and refuses other methods', async () => {
    const first = await fetch(`${gw.origin}/dashboard/panel.js`);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^".+"$/);
    expect((await fetch(`${gw.origin}/dashboard/panel.js`, { headers: { 'if-none-match': etag! } })).status).toBe(304);
    const post = await fetch(`${gw.origin}/dashboard/panel.js`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET, HEAD');
  });

  it('serves nothing outside its list: no other file of a package, of the dashboard folder, or of the disk', async () => {
    const paths = [
      '/dashboard/modules/lit/package.json',
      '/dashboard/modules/graphql-ws/dist/server-zBhvXJ_Z.js',
      '/dashboard/modules/pg/lib/index.js',
      '/dashboard/../package.json',
      '/dashboard/%2e%2e/package.json',
      '/dashboard/modules/lit/..%2f..%2f..%2fpackage.json',
      '/dashboard/modules/%2e%2e/%2e%2e/%2e%2e/package.json',
      '/dashboard/..%5c..%5cpackage.json',
      '/dashboard/index.html/',
      '/dashboard/nope.js',
    ];
    for (const path of paths) {
      const { status, body } = await rawGet(gw.origin, path);
      expect(status, path).toBe(404);
      expect(body, path).not.toContain('"dependencies"');
    }
  });

  it('lets pages of an allowed origin import the modules (CORS), and refuses other origins', async () => {
    const allowed = await fetch(`${gw.origin}/dashboard/gater-dashboard.js`, { headers: { origin: ALLOWED, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('access-control-allow-origin')).toBe(ALLOWED);
    const foreign = await fetch(`${gw.origin}/dashboard/gater-dashboard.js`, { headers: { origin: FOREIGN, 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'cors' } });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    // The page itself may be opened from a link on any site.
    expect((await fetch(`${gw.origin}/dashboard`, { headers: { 'sec-fetch-site': 'cross-site', 'sec-fetch-mode': 'navigate' } })).status).toBe(200);
  });
});
