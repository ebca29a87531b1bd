import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { MaxTokensParserWLexer } from '@escape.tech/graphql-armor-max-tokens';
import type { GraphQLError, ParseOptions, Source, ValidationContext } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';
import { limitExceeded } from '../resolvers/errors.js';
import { mostFieldRepeats } from './field-repeats.js';

/** Armor words its refusals as syntax errors; the client gets what was exceeded, and the limit's name. */
function problemOf(error: GraphQLError): string {
  return error.message.replace(/^Syntax Error: /, '').replace(/\.$/, '');
}

/** Reports an Armor rule's refusal as a validation error of its own, so validation goes on to answer every problem at once. */
function reportAs(limit: string) {
  return [(context: ValidationContext | null, error: GraphQLError) => context?.reportError(limitExceeded(limit, problemOf(error)))];
}

/**
 * GraphQL Armor's limits on the shape of an operation, checked before it
 * runs: tokens while the document is parsed, aliases and depth as it is
 * validated; and, before validation, how often one field is selected in
 * one selection set, since validation's own cost grows with its square. Yoga, the fast POST path and graphql-ws all parse and validate
 * through yoga's envelop, so each of them refuses alike, with
 * `LIMIT_EXCEEDED` naming the limit. Yoga caches both answers by document.
 */
export function useOperationBudgets(limits: Pick<Limits, 'maxAliases' | 'maxDepth' | 'maxTokens' | 'maxFieldRepeats'>): Plugin {
  const aliases = maxAliasesRule({ n: limits.maxAliases, propagateOnRejection: false, onReject: reportAs('GATER_MAX_ALIASES') });
  const depth = maxDepthRule({ n: limits.maxDepth, flattenFragments: true, propagateOnRejection: false, onReject: reportAs('GATER_MAX_DEPTH') });
  const tokens = {
    n: limits.maxTokens,
    // Parsing cannot report and go on: the refusal is thrown, and parsing stops at the first token past the limit.
    onReject: [
      (_context: unknown, error: GraphQLError) => {
        throw limitExceeded('GATER_MAX_TOKENS', problemOf(error));
      },
    ],
  };
  const parse = (source: string | Source, options?: ParseOptions) => {
    try {
      return new MaxTokensParserWLexer(source, { ...options, ...tokens }).parseDocument();
    } catch (error) {
      // graphql-js parses by recursion: brackets nested some thousand deep, which fit in the tokens, overflow its stack.
      if (error instanceof RangeError) throw limitExceeded('GATER_MAX_DEPTH', 'the document nests selections or values too deeply to be parsed');
      throw error;
    }
  };
  return {
    onParse({ setParseFn }) {
      setParseFn(parse);
    },
    onValidate({ params, addValidationRule, setResult }) {
      const repeats = mostFieldRepeats(params.documentAST);
      if (repeats > limits.maxFieldRepeats) {
        const problem = `a selection set selects one field ${repeats} times, more than ${limits.maxFieldRepeats}`;
        setResult([limitExceeded('GATER_MAX_FIELD_REPEATS', problem)]);
        return;
      }
      addValidationRule(aliases);
      addValidationRule(depth);
    },
  };
}
