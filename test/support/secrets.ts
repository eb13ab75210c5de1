import { inspect } from 'node:util';
import { expect } from 'vitest';

/** Every view of an error or result a user might print or log. */
export const views = (outcome: unknown): string[] => [
  String(outcome),
  (outcome as Error | undefined)?.message ?? '',
  (outcome as Error | undefined)?.stack ?? '',
  JSON.stringify(outcome) ?? '',
  inspect(outcome, { depth: 10, showHidden: true }),
];

/** Each secret as written, and as a URL or a form would spell it. */
export const spellings = (secrets: readonly string[]): string[] =>
  secrets.flatMap((s) => [s, encodeURIComponent(s), new URLSearchParams({ s }).toString().slice(2)]);

/**
 * No secret, in any spelling, in any view of `outcome`, nor in `output` (what was logged while
 * it happened). `label` names the case in a failure.
 */
export function expectNoSecrets(
  outcome: unknown,
  secrets: readonly string[],
  { label, output = [] }: { label?: string; output?: readonly string[] } = {},
): void {
  const forms = spellings(secrets);
  for (const view of [...views(outcome), ...output]) for (const form of forms) expect(view, label).not.toContain(form);
}
