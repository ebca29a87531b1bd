import { createHash, createHmac, pbkdf2, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

/** PostgreSQL's default `scram_iterations`. */
const ITERATIONS = 4096;

/**
 * The SCRAM-SHA-256 verifier PostgreSQL keeps for `password` (RFC 5802, RFC 7677).
 * Sent in its place, as psql's \password does, the password itself never reaches
 * the server, nor a server log line quoting a failed statement. The passwords made
 * here are ASCII, which SASLprep leaves unchanged.
 */
export async function scramVerifier(password: string, salt: Buffer = randomBytes(16), iterations = ITERATIONS): Promise<string> {
  const salted = await promisify(pbkdf2)(password, salt, iterations, 32, 'sha256');
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  const storedKey = createHash('sha256').update(clientKey).digest();
  const serverKey = createHmac('sha256', salted).update('Server Key').digest();
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${storedKey.toString('base64')}:${serverKey.toString('base64')}`;
}

/** True when `verifier` (a role's `rolpassword`) was made from `password`. */
export async function verifies(verifier: string | null, password: string): Promise<boolean> {
  const match = /^SCRAM-SHA-256\$(\d+):([^$]+)\$/.exec(verifier ?? '');
  if (!match) return false;
  return (await scramVerifier(password, Buffer.from(match[2]!, 'base64'), Number(match[1]))) === verifier;
}
