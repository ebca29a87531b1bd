import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const examples = fileURLToPath(new URL('../../examples', import.meta.url));

/** What `tsc --noEmit -p <project>` reports, one line a problem. */
function typeErrors(project: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(`${examples}/${project}/tsconfig.json`, { noEmit: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  })!;
  const program = ts.createProgram({ rootNames: config.fileNames, options: config.options, projectReferences: config.projectReferences });
  return [...config.errors, ...ts.getPreEmitDiagnostics(program)].map((diagnostic) => {
    const where = diagnostic.file ? `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}: ` : '';
    return where + ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  });
}

/** Vitest strips types without checking them: this is what keeps the examples compiling against the generated types. */
describe('the examples type-check with tsc', () => {
  it.each(['node-service', 'browser'])('examples/%s', (project) => {
    expect(typeErrors(project)).toEqual([]);
  }, 120_000);
});
