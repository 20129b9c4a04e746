import type { JsonObject, JsonValue } from '../event-store/event-store';
import type { CallAddress } from './call';
import type { CallActionType } from './call-control.events';

/**
 * What each action's `option` may hold, as one pure function used twice: by the HTTP layer (400 naming
 * the field) and by the decider (422 for any other caller), so the two can never disagree.
 *
 * | type             | option                                                                  |
 * |------------------|-------------------------------------------------------------------------|
 * | `talk`           | `text` (1–4000 chars), `gender` female\|male\|neutral (female), `language` (en-US) |
 * | `play`           | `url` (http or https, ≤ 2048 chars)                                     |
 * | `transfer`       | `destination`: an address as in POST /v1/calls                         |
 * | `hangup`         | nothing                                                                 |
 * | `inject_context` | `text` (1–4000 chars)                                                   |
 * | `record_start`   | `format` (wav, the default)                                             |
 * | `record_stop`    | nothing                                                                 |
 */
export const MAX_ACTION_TEXT = 4000;
export const TALK_GENDERS = ['female', 'male', 'neutral'] as const;
const LANGUAGE = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$/;
const ADDRESS_TYPES: readonly CallAddress['type'][] = ['tel', 'sip', 'agent', 'extension'];

type Checked = { option: JsonObject; problems: string[] };

/** The normalised option (defaults filled in), or the problems, each naming its field. */
export function checkActionOption(type: CallActionType, raw: unknown): Checked {
  if (raw !== undefined && raw !== null && !isObject(raw))
    return { option: {}, problems: ['option must be an object'] };
  const option = (raw ?? {}) as JsonObject;
  const problems: string[] = [];
  const allow = (...keys: string[]) => {
    for (const key of Object.keys(option))
      if (!keys.includes(key)) problems.push(`option.${key} is not an option of a ${type} action`);
  };
  switch (type) {
    case 'talk': {
      allow('text', 'gender', 'language');
      const text = requiredText(option.text, 'option.text', problems);
      const gender = option.gender ?? 'female';
      if (!TALK_GENDERS.includes(gender as never))
        problems.push(`option.gender must be one of ${TALK_GENDERS.join(', ')}`);
      const language = option.language ?? 'en-US';
      if (typeof language !== 'string' || !LANGUAGE.test(language))
        problems.push('option.language must be a language tag such as en-US');
      return { option: { text, gender, language }, problems };
    }
    case 'play': {
      allow('url');
      const url = option.url;
      if (typeof url !== 'string' || url.length > 2048 || !isHttpUrl(url))
        problems.push('option.url must be an http or https URL of at most 2048 characters');
      return { option: { url: url ?? null }, problems };
    }
    case 'transfer': {
      allow('destination');
      const destination = checkAddress(option.destination, 'option.destination', problems);
      return { option: { destination }, problems };
    }
    case 'hangup':
      allow();
      return { option: {}, problems };
    case 'inject_context': {
      allow('text');
      return { option: { text: requiredText(option.text, 'option.text', problems) }, problems };
    }
    case 'record_start': {
      allow('format');
      const format = option.format ?? 'wav';
      if (format !== 'wav') problems.push('option.format must be wav');
      return { option: { format }, problems };
    }
    case 'record_stop':
      allow();
      return { option: {}, problems };
    default: {
      const unknown: never = type;
      return { option: {}, problems: [`type ${String(unknown)} is not an action`] };
    }
  }
}

/** A transfer option's destination as a call address (it was checked when the action was queued). */
export function transferDestination(option: JsonObject): CallAddress {
  const destination = option.destination as JsonObject;
  return {
    type: destination.type as CallAddress['type'],
    target: destination.target as string,
    targetName: destination.target_name as string,
    name: destination.name as string,
    detail: destination.detail as string,
  };
}

function requiredText(value: JsonValue | undefined, field: string, problems: string[]): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > MAX_ACTION_TEXT) {
    problems.push(`${field} must be a text of 1 to ${MAX_ACTION_TEXT} characters`);
    return '';
  }
  return value;
}

function checkAddress(value: JsonValue | undefined, field: string, problems: string[]): JsonObject {
  if (!isObject(value)) {
    problems.push(`${field} must be an address {type, target}`);
    return {};
  }
  const address = value as JsonObject;
  for (const key of Object.keys(address))
    if (!['type', 'target', 'target_name', 'name', 'detail'].includes(key))
      problems.push(`${field}.${key} is not a field of an address`);
  if (!ADDRESS_TYPES.includes(address.type as never))
    problems.push(`${field}.type must be one of ${ADDRESS_TYPES.join(', ')}`);
  const target = address.target;
  if (typeof target !== 'string' || target.length < 1 || target.length > 256)
    problems.push(`${field}.target must be a text of 1 to 256 characters`);
  const text = (key: string, max: number): string => {
    const given = address[key];
    if (given === undefined || given === null) return '';
    if (typeof given !== 'string' || given.length > max) {
      problems.push(`${field}.${key} must be a text of at most ${max} characters`);
      return '';
    }
    return given;
  };
  return {
    type: address.type ?? null,
    target: target ?? null,
    target_name: text('target_name', 256),
    name: text('name', 256),
    detail: text('detail', 1024),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
