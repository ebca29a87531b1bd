import { createGraphQLError, type GraphQLParams, type Plugin } from 'graphql-yoga';
import { isThenable } from './execute-hooks-together.js';

const JSON_PARAMS = ['variables', 'extensions'];

/**
 * What yoga's GET parser misses. It lets JSON.parse's SyntaxError out of a
 * `variables` or `extensions` that is not JSON, which its error handling
 * takes for a bug (the client got "Unexpected error." and the log a stack
 * trace, for a typo in a URL): such a GET is refused with 400 and
 * `BAD_REQUEST`, naming the parameter. And it drops `documentId`, the id of
 * a trusted document, which a client may send over GET as over POST.
 */
export function useGetParams(): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser }) {
      if (request.method !== 'GET' || !requestParser) return;
      const refused = (error: unknown): never => {
        throw error instanceof SyntaxError ? notJson(request.url) : error;
      };
      const withDocumentId = (params: GraphQLParams): GraphQLParams => {
        const documentId = new URL(request.url, 'http://gateway').searchParams.get('documentId');
        return documentId === null ? params : { ...params, documentId } as GraphQLParams;
      };
      setRequestParser((parsed) => {
        try {
          const params = requestParser(parsed) as GraphQLParams | Promise<GraphQLParams>;
          return isThenable(params) ? Promise.resolve(params).then(withDocumentId, refused) : withDocumentId(params);
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
