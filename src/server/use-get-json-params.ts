import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { isThenable } from './execute-hooks-together.js';

const JSON_PARAMS = ['variables', 'extensions'];

/**
 * Refuses a GET whose `variables` or `extensions` is not JSON with 400 and
 * `BAD_REQUEST`, naming the parameter. yoga's GET parser lets JSON.parse's
 * SyntaxError out, which its error handling takes for a bug: the client got
 * "Unexpected error." and the log a stack trace, for a typo in a URL.
 */
export function useGetJsonParams(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method !== 'GET' || !requestParser) return;
      const refused = (error: unknown): never => {
        throw error instanceof SyntaxError ? notJson(request.url) : error;
      };
      setRequestParser((parsed) => {
        try {
          const params = requestParser(parsed);
          return isThenable(params) ? Promise.resolve(params).then(undefined, refused) : params;
        } catch (error) {
          return refused(error);
        }
      });
    },
  };
}

function notJson(url: string) {
  const search = new URL(url, 'http://gateway').searchParams;
  const name = JSON_PARAMS.find((param) => {
    const text = search.get(param);
    if (!text) return false;
    try {
      JSON.parse(text);
      return false;
    } catch {
      return true;
    }
  });
  return createGraphQLError(`The "${name ?? 'variables'}" parameter is not valid JSON.`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
}
