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

  it('leaves text without secrets alone and ignores empty secrets', () => {
    expect(redact('nothing here')).toBe('nothing here');
  });
});
