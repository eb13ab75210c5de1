import { UsageError } from '../exit-codes.js';

export interface Rate {
  max: number;
  ms: number;
}

/** `--rate 50/s`, `3000/min`: messages per period. */
export function parseRate(value: string): Rate {
  const match = /^(\d+)\s*\/\s*(s|sec|second|m|min|minute)$/.exec(value.trim());
  const max = Number(match?.[1]);
  if (!match || !Number.isInteger(max) || max < 1)
    throw new UsageError('--rate takes messages per second or minute: 50/s, 3000/min');
  return { max, ms: match[2]!.startsWith('s') ? 1000 : 60_000 };
}
