/** What a test needs of a Dockerfile's last stage: no Docker engine runs here, so the tests follow the file by hand. */
export interface RuntimeStage {
  /** The image of its FROM. */
  base: string;
  /** Its ENV settings, in order. */
  env: Record<string, string>;
  user: string | undefined;
  /** The exec form of its CMD, HEALTHCHECK and ENTRYPOINT. */
  cmd: string[];
  healthcheck: string[];
  entrypoint: string[];
}

/** Reads the last stage of a Dockerfile: continuation lines joined, comments skipped. */
export function runtimeStage(dockerfile: string): RuntimeStage {
  const instructions = dockerfile
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'));
  const lastFrom = instructions.findLastIndex((line) => /^FROM\s/i.test(line));
  const stage: RuntimeStage = { base: '', env: {}, user: undefined, cmd: [], healthcheck: [], entrypoint: [] };
  for (const line of instructions.slice(lastFrom)) {
    const [, keyword = '', rest = ''] = /^(\S+)\s+(.*)$/.exec(line) ?? [];
    switch (keyword.toUpperCase()) {
      case 'FROM':
        stage.base = rest.split(/\s+/)[0]!;
        break;
      case 'ENV':
        for (const [, name, value] of rest.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
          stage.env[name!] = value!.replace(/^"(.*)"$/, '$1');
        }
        break;
      case 'USER':
        stage.user = rest;
        break;
      case 'CMD':
        stage.cmd = execForm(rest);
        break;
      case 'ENTRYPOINT':
        stage.entrypoint = execForm(rest);
        break;
      case 'HEALTHCHECK':
        stage.healthcheck = execForm(rest.replace(/^.*?\bCMD\s+/, ''));
        break;
    }
  }
  return stage;
}

function execForm(text: string): string[] {
  const parsed: unknown = JSON.parse(text);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) throw new Error(`not an exec form: ${text}`);
  return parsed;
}
