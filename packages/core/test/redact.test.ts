import { describe, expect, it } from 'vitest';
import { createRedactor } from '../src/redact.js';

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
