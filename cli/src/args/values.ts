/**
 * Turning option text into values, with lsmcli's rules and messages. Parsers throw commander's
 * InvalidArgumentError for malformed text (exit 2, "option '--size <SIZE>' argument 'x' is invalid. ...") and
 * ArgError for lsmcli's own argument messages; an unknown size unit stays lsm's INVALID_ARGUMENT (exit 4).
 */
import { InvalidArgumentError } from 'commander';
import { classifyInitiator, describeForMessage, ErrorNumber, LsmError, parseSize } from '@openlsm/core';
import { ArgError } from '../errors.js';
import { parseWait } from '../settings.js';
import type { OptionSpec } from './spec.js';

export function sizeValue(text: string): bigint {
  try {
    return parseSize(text);
  } catch (err) {
    if (err instanceof LsmError && err.code === ErrorNumber.INVALID_ARGUMENT && err.message.startsWith('Invalid size unit')) throw err;
    throw new InvalidArgumentError(err instanceof Error ? err.message : String(err));
  }
}

export function intValue(text: string): number {
  if (!/^-?[0-9]{1,15}$/.test(text)) throw new InvalidArgumentError('Not an integer.');
  return Number(text);
}

/** Block numbers and counts: non-negative, exact (bigint). */
export function blockValue(text: string): bigint {
  if (!/^[0-9]{1,20}$/.test(text)) throw new InvalidArgumentError('Not a non-negative integer.');
  return BigInt(text);
}

export function initiatorValue(text: string): string {
  if (!classifyInitiator(text)) throw new ArgError(`--init ${describeForMessage(text)} is not a valid WWPN or iSCSI IQN`);
  return text;
}

export function iqnValue(text: string): string {
  if (classifyInitiator(text)?.type !== 5) throw new ArgError(`--init ${describeForMessage(text)} is not a valid iSCSI IQN`);
  return text;
}

/** Choices are compared upper-cased, as lsmcli does (`--type volumes`). */
export function choiceValue(choices: readonly string[]): (text: string) => string {
  return (text) => {
    const upper = text.toUpperCase();
    if (!choices.includes(upper)) throw new InvalidArgumentError(`Allowed choices are ${choices.join(', ')}.`);
    return upper;
  };
}

/** The parser of one option, or undefined when the text is used as is. */
export function parserFor(spec: OptionSpec): ((text: string) => unknown) | undefined {
  if (spec.choices) return choiceValue(spec.choices);
  switch (spec.kind) {
    case 'size': return sizeValue;
    case 'int': return intValue;
    case 'timeout': return parseWait;
    case 'block': return blockValue;
    case 'initiator': return initiatorValue;
    case 'iqn': return iqnValue;
    default: return undefined;
  }
}
