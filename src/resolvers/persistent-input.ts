import type { Limits } from '../config.js';
import {
  type SettingsChange,
  type StoredSubscription,
  type SubscriptionDefinition,
  type SubscriptionType,
  MAX_IN_FLIGHT_LIMIT,
} from '../store/persistent/types.js';
import { ALL_STREAMS } from '../subscriptions/selection.js';
import type { SaveSubscriptionInputShape as SaveSubscriptionInput } from '../schema/persistent-inputs.js';
import { badUserInput } from './errors.js';
import { checkJson, checkName, checkNonNegative, checkStreamId } from './validate.js';

/** The GraphQL name of a type, for messages: BY_STREAM for by_stream. */
function typeName(type: SubscriptionType): string {
  return type.toUpperCase();
}

export function checkSubscriptionName(field: string, name: string): string {
  return checkName(field, 'a subscription name', name);
}

function given<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}

function selectorOf(input: SaveSubscriptionInput): string | null {
  const { type, selector } = input;
  const field = 'input.selector';
  if (type === 'by_event_pattern' || type === 'by_event_payload') {
    if (given(selector)) throw badUserInput(field, `${typeName(type)} selects with pattern, not selector`);
    return null;
  }
  if (!given(selector)) {
    throw badUserInput(field, type === 'by_stream' ? `BY_STREAM needs a stream id, or "${ALL_STREAMS}" for every stream` : 'BY_EVENT_TYPE needs an event type');
  }
  if (type === 'by_event_type') return checkName(field, 'an event type', selector);
  return selector === ALL_STREAMS ? selector : checkStreamId(field, selector);
}

function patternOf(input: SaveSubscriptionInput, limits: Limits): Record<string, unknown> | null {
  const { type, pattern } = input;
  const field = 'input.pattern';
  if (type === 'by_stream' || type === 'by_event_type') {
    if (given(pattern)) throw badUserInput(field, `${typeName(type)} selects with selector, not pattern`);
    return null;
  }
  if (typeof pattern !== 'object' || pattern === null || Array.isArray(pattern)) {
    throw badUserInput(field, `${typeName(type)} needs a pattern that is a JSON object`);
  }
  checkJson(field, pattern, limits);
  return pattern as Record<string, unknown>;
}

function checkSetting(field: string, value: number | null | undefined, min: number, max?: number): number | null {
  if (!given(value)) return null;
  if (value < min) throw badUserInput(field, `must be ${min} or more, got ${value}`);
  if (max !== undefined && value > max) throw badUserInput(field, `must be at most ${max}, got ${value}`);
  return value;
}

/** What the input selects and the settings it changes, checked; every problem names its field. */
export function subscriptionOf(input: SaveSubscriptionInput, limits: Limits): { definition: SubscriptionDefinition; settings: SettingsChange } {
  return {
    definition: {
      name: checkSubscriptionName('input.name', input.name),
      type: input.type,
      selector: selectorOf(input),
      pattern: patternOf(input, limits),
      startFrom: checkNonNegative('input.startFrom', input.startFrom) ?? null,
    },
    settings: {
      maxRetries: checkSetting('input.maxRetries', input.maxRetries, 0),
      ackTimeoutMs: checkSetting('input.ackTimeoutMs', input.ackTimeoutMs, 1),
      maxInFlight: checkSetting('input.maxInFlight', input.maxInFlight, 1, MAX_IN_FLIGHT_LIMIT),
    },
  };
}

/** The input field in which a save differs from the subscription of that name, which selects something else. */
export function differingField(definition: SubscriptionDefinition, existing: StoredSubscription): { field: string; problem: string } {
  const problem = (what: string) =>
    `persistent subscription "${existing.name}" already exists with ${what}; what it selects cannot change (remove it and save it again)`;
  if (definition.type !== existing.type) return { field: 'input.type', problem: problem(`type ${typeName(existing.type)}`) };
  if (definition.selector !== existing.selector) return { field: 'input.selector', problem: problem(`selector ${JSON.stringify(existing.selector)}`) };
  if (definition.startFrom !== null && definition.startFrom !== existing.startFrom) {
    return { field: 'input.startFrom', problem: problem(existing.startFrom === null ? 'no startFrom' : `startFrom ${existing.startFrom}`) };
  }
  return { field: 'input.pattern', problem: problem(`pattern ${JSON.stringify(existing.pattern)}`) };
}
