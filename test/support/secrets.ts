import { inspect } from 'node:util';
import { minScanned } from '../../packages/core/src/redact.js';
import { expect } from 'vitest';

/** Every view of an error or result a user might print or log. */
export const views = (outcome: unknown): string[] => [
  String(outcome),
  (outcome as Error | undefined)?.message ?? '',
  (outcome as Error | undefined)?.stack ?? '',
  JSON.stringify(outcome) ?? '',
  inspect(outcome, { depth: 10, showHidden: true }),
];

const percentOf = (bytes: readonly number[], lower = false) =>
  bytes
    .map((b) => {
      const hex = b.toString(16).padStart(2, '0');
      return `%${lower ? hex.toLowerCase() : hex.toUpperCase()}`;
    })
    .join('');
/** Latin-1 has a byte per character up to U+00FF; beyond it, a vendor would send `?`, which hides nothing. */
const latin1 = (s: string) => [...s].every((c) => c.codePointAt(0)! < 256);
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/**
 * Each way a vendor's echo of a request may spell a text (issue 29, "Leaked"): as written,
 * percent-escaped (upper and lower case, twice, from Latin-1), as a form writes it, XML- and
 * HTML-escaped, JSON-escaped. Base64 is `base64Runs`, as it cannot be found by spelling a part.
 */
export const echoSpellings: readonly (readonly [string, (s: string) => string])[] = [
  ['as written', (s) => s],
  ['percent-escaped', encodeURIComponent],
  ['percent-escaped in lower case', (s) => percentOf([...Buffer.from(s)], true)],
  ['every byte percent-escaped', (s) => percentOf([...Buffer.from(s)])],
  ['double percent-escaped', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['percent-escaped from Latin-1', (s) => (latin1(s) ? percentOf([...Buffer.from(s, 'latin1')]) : s)],
  ['as a form writes it (+ for a space)', (s) => new URLSearchParams({ s }).toString().slice(2)],
  ['as encodeURI writes it', encodeURI],
  ['as the URL parser sends it', (s) => new URL(`http://x/?p=${encodeURIComponent(s)}`).search.slice(3)],
  ['XML-escaped (& < > only)', xml],
  ['XML-escaped with &apos; and &quot;', (s) => xml(s).replace(/'/g, '&apos;').replace(/"/g, '&quot;')],
  ['XML-escaped twice', (s) => xml(xml(s))],
  ['as HTML decimal entities', (s) => [...s].map((c) => `&#${c.codePointAt(0)};`).join('')],
  ['as HTML hex entities', (s) => [...s].map((c) => `&#x${c.codePointAt(0)!.toString(16)};`).join('')],
  [
    'as upper-case HTML hex entities',
    (s) => [...s].map((c) => `&#X${c.codePointAt(0)!.toString(16).toUpperCase()};`).join(''),
  ],
  ['JSON-escaped', (s) => JSON.stringify(s).slice(1, -1)],
  [
    'JSON-escaped as ASCII',
    (s) =>
      JSON.stringify(s)
        .slice(1, -1)
        .replace(/[^ -~]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`),
  ],
];

/**
 * The runs of base64 that carry a secret's bytes wherever they fall in a longer encoded text
 * (`user:password` in a Basic header): each of the three alignments, both alphabets, from UTF-8
 * and from Latin-1.
 */
export function base64Runs(secret: string): string[] {
  const sources = [Buffer.from(secret), ...(latin1(secret) ? [Buffer.from(secret, 'latin1')] : [])];
  return sources.flatMap((bytes) =>
    [0, 1, 2].flatMap((lead) =>
      (['base64', 'base64url'] as const).map((alphabet) =>
        Buffer.concat([Buffer.alloc(lead), bytes])
          .toString(alphabet)
          .slice(Math.ceil((lead * 4) / 3), Math.floor(((lead + bytes.length) * 4) / 3)),
      ),
    ),
  );
}

/** The text spelled every way a vendor's echo might spell it, each once. */
export const echoed = (text: string): string => echoSpellings.map(([, spell]) => spell(text)).join(' ');

/** Each secret in every spelling of `echoSpellings`, and its base64 runs. */
export const spellings = (secrets: readonly string[]): string[] => [
  ...new Set(secrets.flatMap((s) => [...echoSpellings.map(([, spell]) => spell(s)), ...base64Runs(s)])),
];

/** Each secret in every spelling of `echoSpellings` only: a short one's base64 runs are a character or two. */
const spelledOnly = (secret: string): string[] => [...new Set(echoSpellings.map(([, spell]) => spell(secret)))];

const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');

/**
 * Where a secret too short to look for inside text (`e`, `100`) would show: as a whole value,
 * `user=e&`, `"user":"e"`, `<user>e</user>`, in any spelling. Anywhere else it is other text.
 */
export const wholeValue = (secret: string): RegExp =>
  new RegExp(`(?:=|>|[:=]\\s*\\\\?["'])(?:${spelledOnly(secret).map(literal).join('|')})(?=$|[&;"'<\\s\\\\])`);

/**
 * No secret, in any spelling, in any view of `outcome`, nor in `output` (what was logged while
 * it happened). `label` names the case in a failure. A secret shorter than core's `minScanned`
 * is looked for only as a whole value.
 */
export function expectNoSecrets(
  outcome: unknown,
  secrets: readonly string[],
  { label, output = [] }: { label?: string; output?: readonly string[] } = {},
): void {
  const forms = spellings(secrets.filter((s) => s.length >= minScanned));
  const short = secrets.filter((s) => s.length < minScanned).map(wholeValue);
  for (const view of [...views(outcome), ...output]) {
    for (const form of forms) expect(view, label).not.toContain(form);
    for (const pattern of short) expect(view, label).not.toMatch(pattern);
  }
}
