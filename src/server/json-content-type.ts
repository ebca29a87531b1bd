import { isUtf8 } from 'node:buffer';
import type { IncomingHttpHeaders } from 'node:http';
import type { GraphQLError } from 'graphql';
import { createGraphQLError } from 'graphql-yoga';
import { withoutStack } from '../refusal-error.js';

const JSON_TYPES = ['application/json', 'application/graphql+json'];

/** Whether a Content-Type names JSON as yoga's parser takes it: its first type, exactly, with parameters or none. */
export function isJsonContentType(contentType: string | undefined): boolean {
  const first = contentType?.split(',')[0];
  return !!first && JSON_TYPES.some((type) => first === type || first.startsWith(`${type};`));
}

/**
 * Writes a JSON Content-Type as yoga's parser matches it: a media type is
 * case-insensitive and may have spaces around its parameters (RFC 9110), and
 * `Application/JSON ; charset=utf-8` was answered 415 with no body.
 */
export function normalizeJsonContentType(headers: IncomingHttpHeaders): void {
  const given = headers['content-type'];
  if (given === undefined || isJsonContentType(given)) return;
  const normalized = given
    .split(',')[0]!
    .split(';')
    .map((part) => part.trim().toLowerCase())
    .join(';');
  if (isJsonContentType(normalized)) headers['content-type'] = normalized;
}

/**
 * Why a JSON body cannot be read as the UTF-8 JSON is: a charset other than
 * UTF-8 declared, or bytes that are not UTF-8. Decoded anyway, each bad byte
 * became U+FFFD, so two stream ids in Latin-1 that differ in one letter were
 * taken for one stream. Undefined for a body that is UTF-8.
 */
export function notUtf8(contentType: string | undefined, body: Buffer): GraphQLError | undefined {
  const charset = /;\s*charset=("?)([^;"]*)\1/i.exec(contentType ?? '')?.[2]?.toLowerCase();
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    return refusal(`POST body must be UTF-8 JSON, not charset=${charset.slice(0, 40)}`, 415);
  }
  return isUtf8(body) ? undefined : refusal('POST body is not valid UTF-8', 400);
}

function refusal(message: string, status: number): GraphQLError {
  return withoutStack(() => createGraphQLError(message, { extensions: { http: { status }, code: 'BAD_REQUEST' } }));
}
