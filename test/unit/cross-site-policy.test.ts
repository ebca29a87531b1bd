import { describe, expect, it } from 'vitest';
import { crossSitePolicy, loopbackHostCheck } from '../../src/server/cross-site-policy.js';

const policy = crossSitePolicy(['https://app.example.com', 'http://localhost:5173']);
const GATEWAY = 'gater.example.com:4000';

function headers(values: Record<string, string>) {
  return (name: string) => values[name];
}

const refusal = (method: string, values: Record<string, string>) => policy.refusal(method, headers({ host: GATEWAY, ...values }));

describe('the origin of a request', () => {
  it.each([
    ['no Origin (not a browser)', {}],
    ['an allowed origin', { origin: 'https://app.example.com' }],
    ['another allowed origin', { origin: 'http://localhost:5173' }],
    ['the origin the request is addressed to', { origin: `http://${GATEWAY}` }],
    ['the same origin behind TLS', { origin: `https://${GATEWAY}` }],
  ])('passes with %s', (_, values) => {
    expect(policy.originRefusal(headers({ host: GATEWAY, ...values }))).toBeUndefined();
  });

  it.each([
    ['another origin', 'https://evil.example'],
    ['an allowed host on another port', 'http://localhost:5174'],
    ['an allowed host with another scheme', 'http://app.example.com'],
    ['the gateway host on another port', 'http://gater.example.com:4001'],
    ['an opaque origin', 'null'],
  ])('is refused from %s, naming it and the variable', (_, origin) => {
    const why = policy.originRefusal(headers({ host: GATEWAY, origin }));
    expect(why).toContain(origin);
    expect(why).toContain('GATER_CORS_ORIGINS');
  });

  it('compares a Host with an explicit default port to an Origin without one', () => {
    expect(policy.originRefusal(headers({ host: 'gater.example.com:443', origin: 'https://gater.example.com' }))).toBeUndefined();
  });
});

describe('requests a page of any site could send without a preflight', () => {
  it.each(['application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/plain;charset=UTF-8', 'Text/Plain'])(
    'refuses a POST of %s, from any origin or none',
    (contentType) => {
      expect(refusal('POST', { 'content-type': contentType })).toMatch(/refused/);
      expect(refusal('POST', { 'content-type': contentType, origin: 'https://app.example.com' })).toMatch(/refused/);
    },
  );

  it('refuses a POST without a content type', () => {
    expect(refusal('POST', {})).toMatch(/no content-type/);
  });

  it('refuses what another site embeds (an img or script: Sec-Fetch-Site without Origin)', () => {
    expect(refusal('GET', { 'sec-fetch-site': 'cross-site' })).toMatch(/refused/);
    expect(refusal('GET', { 'sec-fetch-site': 'same-site' })).toMatch(/refused/);
    expect(refusal('GET', { 'sec-fetch-site': 'same-origin' })).toBeUndefined();
    expect(refusal('GET', { 'sec-fetch-site': 'none' })).toBeUndefined();
  });

  it('lets JSON posts and GETs run', () => {
    expect(refusal('POST', { 'content-type': 'application/json' })).toBeUndefined();
    expect(refusal('POST', { 'content-type': 'application/json', origin: 'https://app.example.com', 'sec-fetch-site': 'cross-site' })).toBeUndefined();
    expect(refusal('GET', {})).toBeUndefined();
  });
});

describe('CORS options', () => {
  const request = (origin?: string) => new Request('http://gater.example.com/graphql', { headers: origin ? { origin } : {} });

  it('allow an allowed origin alone, with credentials', () => {
    expect(policy.cors(request('https://app.example.com'))).toMatchObject({ origin: 'https://app.example.com', credentials: true });
  });

  it('allow nothing for any other origin, or none', () => {
    expect(policy.cors(request('https://evil.example'))).toBe(false);
    expect(policy.cors(request())).toBe(false);
    expect(crossSitePolicy().cors(request('https://app.example.com'))).toBe(false);
  });
});

describe('a gateway bound to a loopback address (DNS rebinding)', () => {
  const onLoopback = crossSitePolicy([], loopbackHostCheck('127.0.0.1'));

  it.each(['127.0.0.1:4000', 'localhost:4000', '127.0.0.2', '[::1]:4000'])('answers requests addressed to %s', (host) => {
    expect(onLoopback.refusal('POST', headers({ host, 'content-type': 'application/json', origin: `http://${host}` }))).toBeUndefined();
  });

  it.each(['rebind.attacker.example:4000', '10.0.0.5:4000', 'gater.example.com'])(
    'refuses a request addressed to %s, even from that same origin',
    (host) => {
      expect(onLoopback.refusal('POST', headers({ host, 'content-type': 'application/json', origin: `http://${host}` }))).toContain(
        'this gateway listens on a loopback address only',
      );
      expect(onLoopback.originRefusal(headers({ host }))).toBeDefined();
    },
  );

  it('leaves Host alone when bound to another address', () => {
    expect(loopbackHostCheck('0.0.0.0')).toBeUndefined();
    expect(loopbackHostCheck('10.0.0.5')).toBeUndefined();
    expect(loopbackHostCheck('::1')).toBeDefined();
    expect(loopbackHostCheck('localhost')).toBeDefined();
  });
});
