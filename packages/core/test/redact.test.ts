import { describe, expect, it } from 'vitest';
import { createRedactor, minScanned, redacted } from '../src/redact.js';

describe('redaction', () => {
  const redact = createRedactor(['p@ss word&=+', 'key123', '']);

  it.each([
    'p@ss word&=+',
    encodeURIComponent('p@ss word&=+'),
    new URLSearchParams({ x: 'p@ss word&=+' }).toString().slice(2),
    encodeURI('p@ss word&=+'),
  ])('removes the spelling %j', (form) => {
    expect(redact(`GET /send?password=${form}&apikey=key123`)).toBe('GET /send?password=[REDACTED]&apikey=[REDACTED]');
  });

  it.each([
    ['JSON-escaped', (s: string) => JSON.stringify(s).slice(1, -1)],
    ['as the URL parser sends it', (s: string) => new URL(`http://x/?p=${encodeURIComponent(s)}`).search.slice(3)],
    [
      'HTML-escaped',
      (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;'),
    ],
    ['escaped some other way', (s: string) => s.replace(/'/g, '&#x27;').replace(/"/g, '\\"')],
  ])('removes a secret echoed %s', (_, spell) => {
    const secret = `it's"~&<x>Zq9SECRETvalue77`;
    const out = createRedactor([secret])(`echo: ${spell(secret)} end`);
    expect(out).toMatch(/^echo: .*\[REDACTED\] end$/);
    expect(out).not.toContain('Zq9SECRETvalue77');
  });

  it('leaves text without secrets alone and ignores empty secrets', () => {
    expect(redact('nothing here')).toBe('nothing here');
  });
});

/** Each spelling a vendor's echo of a request may use (issue 29, "Leaked"). */
const latin1Bytes = (s: string) => [...s].map((c) => c.charCodeAt(0));
const percentOf = (bytes: number[], lower = false) =>
  bytes.map((b) => `%${b.toString(16).padStart(2, '0')[lower ? 'toLowerCase' : 'toUpperCase']()}`).join('');
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
export const echoes: [string, (s: string) => string][] = [
  ['as written', (s) => s],
  ['percent-escaped', encodeURIComponent],
  ['percent-escaped in lower case', (s) => percentOf([...Buffer.from(s)], true)],
  ['every byte percent-escaped', (s) => percentOf([...Buffer.from(s)])],
  ['double percent-escaped', (s) => encodeURIComponent(encodeURIComponent(s))],
  ['percent-escaped from Latin-1', (s) => percentOf(latin1Bytes(s))],
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

describe('a credential long enough to look for in text', () => {
  const secrets = ['p@ss w/rd+é!', "Ann&Co's"];

  describe.each(secrets)('%j', (secret) => {
    const redact = createRedactor(secrets);

    it.each(echoes)('is hidden echoed %s', (_, spell) => {
      const out = redact(`the vendor says: bad login ${spell(secret)} (retry)`);
      expect(out).toBe(`the vendor says: bad login ${redacted} (retry)`);
    });

    it.each([
      ['UTF-8', (s: string) => Buffer.from(s)],
      ['Latin-1', (s: string) => Buffer.from(s, 'latin1')],
    ])('is hidden base64-encoded from %s, alone or inside a longer encoded text', (_, bytes) => {
      for (const lead of ['', 'u', 'us', 'user:'])
        for (const alphabet of ['base64', 'base64url'] as const) {
          const encoded = Buffer.concat([Buffer.from(lead), bytes(secret)]).toString(alphabet);
          const out = redact(`Authorization: Basic ${encoded}`);
          expect(out, `${lead} ${alphabet}`).toContain(redacted);
          // What is left either side carries at most a few bits of the secret, never a character.
          const left = out.replace('Authorization: Basic ', '').split(redacted).join('');
          expect(left.length, `${lead} ${alphabet}: ${out}`).toBeLessThanOrEqual(Math.ceil((lead.length * 4) / 3) + 4);
        }
    });
  });
});

describe(`a credential shorter than ${minScanned} characters`, () => {
  const redact = createRedactor(['e', '100']);

  it.each([
    ['a query', 'GET /send?user=e&password=100', 'GET /send?user=[REDACTED]&password=[REDACTED]'],
    ['a form, escaped', 'user=%65&password=%31%30%30', 'user=[REDACTED]&password=[REDACTED]'],
    ['JSON', '{"user":"e","password": "100"}', '{"user":"[REDACTED]","password": "[REDACTED]"}'],
    ['JSON inside JSON', '{"echo":"{\\"user\\":\\"e\\"}"}', '{"echo":"{\\"user\\":\\"[REDACTED]\\"}"}'],
    ['XML', '<user>e</user><password>&#49;00</password>', '<user>[REDACTED]</user><password>[REDACTED]</password>'],
    ['an XML attribute', '<login user=\'e\' password="100"/>', '<login user=\'[REDACTED]\' password="[REDACTED]"/>'],
  ])('is hidden where it stands as a whole value in %s', (_, text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each([
    '{"type":"dryRun","to":"+919810056789","parts":100,"encoding":"gsm7"}',
    'acme-order-1 e 100 100s e.g. 1100',
    'row 100: rejected (validation): message too long, 1000 characters',
    'Time: 100 ms, error code 100',
    '100',
  ])('never rewrites text that merely contains it: %j', (text) => {
    expect(redact(text)).toBe(text);
  });
});

describe('a secret learnt later', () => {
  it('is hidden from then on, and a secret inside another is replaced whole', () => {
    const redact = createRedactor(['abcd']);
    redact.add('xxabcdxx');
    expect(redact('token xxabcdxx and abcd')).toBe(`token ${redacted} and ${redacted}`);
  });
});

describe('text redacted twice', () => {
  it('reads the same, even with a secret that the mask spells', () => {
    const redact = createRedactor(['dact', 'p@ss w/rd+é!']);
    const once = redact('bad login p@ss w/rd+é! for dact');
    expect(once).toBe(`bad login ${redacted} for ${redacted}`);
    expect(redact(once)).toBe(once);
  });
});
