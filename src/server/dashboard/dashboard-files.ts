import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { init, parse } from 'es-module-lexer';
import { legacy, exports as packageExports } from 'resolve.exports';

/** One file the dashboard serves, read and prepared once. */
export interface DashboardFile {
  /** UTF-8 text: every file served is a page or a module. */
  body: string;
  contentType: string;
  etag: string;
}

/** Where the dashboard's page and modules are: `dashboard/` beside `src/` (and beside `dist/` when built). */
export const DASHBOARD_DIR = fileURLToPath(new URL('../../../dashboard/', import.meta.url));

/** The URL path everything is served under. */
export const DASHBOARD_PATH = '/dashboard';

/** The page's own modules, in DASHBOARD_DIR; each is also a module another page may import. */
const ENTRY_MODULES = ['gater-dashboard.js'];

const requireHere = createRequire(import.meta.url);

/**
 * Every file the dashboard serves, by URL path: the page, the modules in
 * DASHBOARD_DIR and exactly the modules of node_modules they import (Lit,
 * the graphql-ws client), found by following their imports once.
 *
 * A browser resolves a bare specifier (`import 'lit'`) only with an import
 * map, and an import map works only in the page that declares it, not in
 * another site's page that embeds a panel with one script tag. So every
 * specifier is rewritten to the absolute path the module is served under;
 * the path resolves against the module's own URL, so an embedding page
 * loads everything from the gateway. The URLs map to files through this
 * fixed table only: no part of a request path ever reaches the filesystem.
 */
export async function dashboardFiles(): Promise<Map<string, DashboardFile>> {
  await init;
  const files = new Map<string, DashboardFile>();
  const urlOf = new Map<string, string>();
  const pending: string[] = [];

  const enqueue = (file: string): string => {
    let url = urlOf.get(file);
    if (url === undefined) {
      url = moduleUrl(file);
      urlOf.set(file, url);
      pending.push(file);
    }
    return url;
  };
  for (const entry of ENTRY_MODULES) enqueue(path.join(DASHBOARD_DIR, entry));

  while (pending.length > 0) {
    const file = pending.shift()!;
    const source = await readFile(file, 'utf8');
    const [imports] = parse(source, file);
    let rewritten = '';
    let last = 0;
    for (const found of imports) {
      // import.meta is no import; the modules served have no dynamic import().
      if (found.type !== 'static' && found.type !== 'reexport-star') continue;
      const { specifier, start, end } = found;
      const target = resolveImport(specifier, file);
      rewritten += source.slice(last, start) + enqueue(target);
      last = end;
    }
    rewritten += source.slice(last);
    files.set(urlOf.get(file)!, prepared(rewritten, 'text/javascript; charset=utf-8'));
  }

  const page = await readFile(path.join(DASHBOARD_DIR, 'index.html'), 'utf8');
  files.set(DASHBOARD_PATH, prepared(page, 'text/html; charset=utf-8'));
  const pageStyle = await readFile(path.join(DASHBOARD_DIR, 'page.css'), 'utf8');
  files.set(`${DASHBOARD_PATH}/page.css`, prepared(pageStyle, 'text/css; charset=utf-8'));
  return files;
}

function prepared(body: string, contentType: string): DashboardFile {
  return { body, contentType, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"` };
}

/** A package without `exports`: its `module` (or `browser`, `main`) entry, or the file named. */
function legacyEntry(manifest: Parameters<typeof legacy>[0], subpath: string): string | undefined {
  if (subpath !== '.') return subpath;
  const entry = legacy(manifest, { browser: true, fields: ['module', 'browser', 'main'] });
  return typeof entry === 'string' ? entry : undefined;
}

/** `/dashboard/x.js` for the dashboard's own files, `/dashboard/modules/<package>/<file>` for a package's. */
function moduleUrl(file: string): string {
  const own = path.relative(DASHBOARD_DIR, file);
  if (!own.startsWith('..') && !path.isAbsolute(own)) return `${DASHBOARD_PATH}/${own.split(path.sep).join('/')}`;
  const marker = `${path.sep}node_modules${path.sep}`;
  const inPackages = file.slice(file.lastIndexOf(marker) + marker.length);
  return `${DASHBOARD_PATH}/modules/${inPackages.split(path.sep).join('/')}`;
}

/** A relative specifier against the importing file; a bare one by its package's `exports`, as a browser bundler would (the `browser` condition). */
function resolveImport(specifier: string, from: string): string {
  if (specifier.startsWith('./') || specifier.startsWith('../')) return path.resolve(path.dirname(from), specifier);
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  const subpath = `.${specifier.slice(name.length)}`;
  // Not require.resolve(`${name}/package.json`): Lit's packages do not export their manifest.
  const manifestPath = createRequire(from)
    .resolve.paths(name)
    ?.map((dir) => path.join(dir, name, 'package.json'))
    .find((candidate) => existsSync(candidate));
  if (manifestPath === undefined) throw new Error(`the dashboard imports ${specifier}, and ${name} is not installed`);
  const manifest = requireHere(manifestPath) as Parameters<typeof packageExports>[0] & { exports?: unknown };
  const target = manifest.exports === undefined ? legacyEntry(manifest, subpath) : packageExports(manifest, subpath, { browser: true })?.[0];
  if (target === undefined) throw new Error(`the dashboard imports ${specifier}, which ${name} does not export`);
  return path.resolve(path.dirname(manifestPath), target);
}
