import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../../src/access/errors.js';
import { fullLogger, type LogFields } from '../../src/log.js';
import { errorMasking } from '../../src/server/use-error-masking.js';

function recording() {
  const lines: { level: string; message: string; fields?: LogFields; cause?: unknown }[] = [];
  const log = fullLogger({
    info: (message, fields) => lines.push({ level: 'info', message, fields }),
    warn: (message, fields) => lines.push({ level: 'warn', message, fields }),
    error: (message, cause, fields) => lines.push({ level: 'error', message, cause, fields }),
  });
  return { log, lines };
}

const atField = (cause: Error) => new GraphQLError(cause.message, { path: ['appendEvents'], originalError: cause });

describe("a request's masking", () => {
  it('logs a refusal once per cause at warn, with the fields of the first request, and not again when yoga masks the same error', () => {
    const { log, lines } = recording();
    const masking = errorMasking(log);
    for (const requestId of ['r-1', 'r-2', 'r-3']) {
      const errors = [atField(new ForbiddenError('role reader may not write', 'write'))].map(masking.maskWith(() => log.child({ requestId })));
      expect(errors[0]!.extensions.code).toBe('FORBIDDEN');
      masking.maskError(errors[0], 'Unexpected error.');
    }
    expect(lines).toEqual([{ level: 'warn', message: 'request refused: role reader may not write', fields: { requestId: 'r-1', code: 'FORBIDDEN' } }]);
  });

  it('logs a limit a request hit at warn, once per cause', () => {
    const { log, lines } = recording();
    const masking = errorMasking(log);
    const limit = () => new GraphQLError('too many (GATER_MAX_PAGE_ITEMS)', { extensions: { code: 'LIMIT_EXCEEDED', limit: 'GATER_MAX_PAGE_ITEMS' } });
    masking.noteRefusals([limit(), limit()], () => log.child({ requestId: 'r-9' }));
    masking.noteRefusals([new GraphQLError('bad', { extensions: { code: 'BAD_USER_INPUT' } })], () => log);
    expect(lines).toEqual([{ level: 'warn', message: 'request refused: too many (GATER_MAX_PAGE_ITEMS)', fields: { requestId: 'r-9', code: 'LIMIT_EXCEEDED' } }]);
  });

  it('masks a bug as "Unexpected error." even when handed to Array.map, and logs it with the request id', () => {
    const { log, lines } = recording();
    const bug = new TypeError('x is undefined');
    const [masked] = [atField(bug)].map(errorMasking(log).maskWith(() => log.child({ requestId: 'r-5' })));
    expect(masked!.message).toBe('Unexpected error.');
    expect(lines).toEqual([{ level: 'error', message: 'unexpected error at appendEvents', cause: bug, fields: { requestId: 'r-5' } }]);
  });
});
