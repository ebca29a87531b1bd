import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type CryptoKey } from 'jose';

export interface SigningKey {
  kid: string;
  alg: 'RS256' | 'ES256';
  privateKey: CryptoKey;
  publicJwk: JWK;
}

export async function signingKey(kid: string, alg: 'RS256' | 'ES256'): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export function signWith(key: SigningKey, payload: JWTPayload, expiresIn = '5m'): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: key.alg, kid: key.kid }).setIssuedAt().setExpirationTime(expiresIn).sign(key.privateKey);
}

/** A JWKS endpoint on 127.0.0.1 whose published keys a test can change (a key rotation), counting its fetches. */
export interface JwksServer {
  url: string;
  publish(keys: SigningKey[]): void;
  readonly fetches: number;
  close(): Promise<void>;
}

export async function startJwksServer(keys: SigningKey[]): Promise<JwksServer> {
  let published = keys;
  let fetches = 0;
  const server: Server = createServer((_request, response) => {
    fetches++;
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ keys: published.map((key) => key.publicJwk) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    publish: (next) => {
      published = next;
    },
    get fetches() {
      return fetches;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
