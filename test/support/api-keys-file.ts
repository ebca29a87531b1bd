import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** One entry of a GATER_API_KEYS_FILE, as an operator writes it. */
export interface ApiKeyEntry {
  name: string;
  key: string;
  role: string;
  stores?: string[];
  streams?: string[];
  trustedDocumentsOnly?: boolean;
}

/** A GATER_API_KEYS_FILE listing `apiKeys`, in a fresh temporary folder; returns its path. */
export function apiKeysFile(apiKeys: ApiKeyEntry[]): string {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'gater-keys-')), 'keys.json');
  writeFileSync(file, JSON.stringify({ apiKeys }));
  return file;
}
