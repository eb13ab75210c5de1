import { describe, expect, it } from 'vitest';
import { base64Runs, echoSpellings } from '../../../test/support/secrets.js';
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

describe('a credential long enough to look for in text', () => {
  const secrets = ['p@ss w/rd+é!', "Ann&Co's"];

  describe.each(secrets)('%j', (secret) => {
    const redact = createRedactor(secrets);

    it.each(echoSpellings)('is hidden echoed %s', (_, spell) => {
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
          // What is left either side carries a few bits of the secret at most, never a whole run.
          for (const run of base64Runs(secret)) expect(out, `${lead} ${alphabet}`).not.toContain(run);
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

describe('a near miss', () => {
  it('takes no longer than a miss: every spelling of a character is tried once', () => {
    // No run of eight letters or digits, which would be hidden on its own.
    const secret = 'se-cr-et.va-lu-e.th-at.is-lo-ng.en-ou-gh&=+/ü';
    const redact = createRedactor([secret]);
    // Every spelling of all but the last character, many times over: a pattern with two ways
    // to match one character would try 2^40 ways at each.
    const near = echoSpellings.map(([, spell]) => spell(secret.slice(0, -1))).join(' x ');
    const started = performance.now();
    expect(redact(near.repeat(20))).toBe(near.repeat(20));
    expect(performance.now() - started).toBeLessThan(1000);
  });
});
