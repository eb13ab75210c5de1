import { describe, expect, it } from 'vitest';
import { decodeCode } from '../src/codecs/code.js';
import { decodeJson } from '../src/codecs/json.js';
import { decodePipe } from '../src/codecs/pipe.js';
import type { ReplyDefinition } from '../src/vendor-definition.js';
import { ParseError, VendorError } from '../src/errors.js';
import { expectNoSecrets } from '../../../test/support/secrets.js';
import { decodeReply, replyContext, thrown } from './helpers.js';

// The hardening issue ("Secrets"): anything from the vendor that lands in an error or in a
// result's refusals is redacted, and reply text that is not code-shaped never becomes a code.
const KEY = 'Zq9-SECRET-key&=+/ü';
const USER = 'acme-user';
const PASSWORD = 'Pw-77-SECRET';

const expectNoSecret = (value: unknown, secrets = [KEY, USER, PASSWORD]) => expectNoSecrets(value, secrets);

const numeric = replyContext(
  {
    '0': { outcome: 'success', description: 'Sent' },
    '101': { outcome: 'error', description: 'Check your credentials' },
    '1701': { outcome: 'success', description: 'Success' },
    '1706': { outcome: 'error', description: 'Invalid destination' },
  },
  [KEY, USER, PASSWORD],
);
/** A catalog with words besides numbers, as Dreams' (`Success`, OAuth2's `invalid_client`). */
const words = replyContext(
  {
    '999': { outcome: 'success', description: 'Success' },
    Success: { outcome: 'success', description: 'Sent' },
    '-100': { outcome: 'error', description: 'Missing parameters' },
    invalid_client: { outcome: 'error', description: 'Client authentication failed' },
  },
  [KEY, USER, PASSWORD],
);
const json = { codec: 'json', status: 'Status', shape: { type: 'object', props: {} } } as const;

describe('a vendor code', () => {
  it.each([
    ['a sentence quoting the key', `{"Status":"bad apikey ${KEY}"}`],
    ['the key alone', `{"Status":${JSON.stringify(KEY)}}`],
    ['a sentence without a secret', '{"Status":"bad apikey"}'],
    ['a word, where the catalog has only numbers', '{"Status":"OK"}'],
    ['a number too long to be a code', '{"Status":"1234567890123"}'],
  ])('is not %s: the reply is a ParseError with its body redacted', (_, body) => {
    const error = thrown(() => decodeJson(body, json, numeric)) as ParseError;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.message).toContain('missing or invalid "Status"');
    expectNoSecret(error);
  });

  it('is a number with an optional sign, or (in a catalog that has words) a word such as invalid_client', () => {
    expect(thrown(() => decodeJson('{"Status":"102"}', json, numeric))).toMatchObject({
      constructor: VendorError,
      code: '102',
      description: 'undocumented code 102',
    });
    expect(thrown(() => decodeJson('{"Status":-7}', json, numeric))).toMatchObject({
      constructor: VendorError,
      code: '-7',
    });
    expect(thrown(() => decodeJson('{"Status":"invalid_scope"}', json, words))).toMatchObject({
      constructor: VendorError,
      code: 'invalid_scope',
    });
    expect(decodeJson('{"Status":" 0 "}', json, numeric)).toEqual({ Status: ' 0 ' });
  });

  it('is read the same way from an XML status element', () => {
    const reply: ReplyDefinition = {
      codec: 'xml',
      status: 'status',
      shape: { type: 'object', props: { status: { shape: { type: 'string' } } } },
    };
    const error = thrown(() =>
      decodeReply(`<r><status>bad apikey ${KEY.replace('&', '&amp;')}</status></r>`, reply, numeric),
    );
    expect(error).toBeInstanceOf(ParseError);
    expectNoSecret(error);
  });

  // dreams.txt: replies are bare codes (`-100`) or `Result: Success`; a text reply quoting the
  // secret key is neither.
  it.each([`Invalid secret_key ${KEY}`, `Result: ${KEY}`, KEY])('is not the bare text reply %j', (body) => {
    const error = thrown(() => decodeCode(body, words));
    expect(error).toBeInstanceOf(ParseError);
    expectNoSecret(error);
  });

  it("is not a pipe entry's first field unless it is shaped like one", () => {
    const error = thrown(() => decodePipe(`bad apikey ${KEY}|972500000000`, numeric));
    expect(error).toBeInstanceOf(ParseError);
    expectNoSecret(error);
  });
});

describe('a refused destination', () => {
  // unified.txt: entries are `<code>|<destination>|<message_id>`; a destination that echoes
  // `user:password` back is redacted, in an error and in a result.
  it('is redacted in the VendorError and in the refusals of a partly accepted reply', () => {
    const error = thrown(() => decodePipe(`1706|${USER}:${PASSWORD}`, numeric)) as VendorError;
    expect(error).toBeInstanceOf(VendorError);
    expect(error.rejected[0]!.destination).toBe('[REDACTED]:[REDACTED]');
    expectNoSecret(error);

    const result = decodePipe(`1701|972500000000|m1,1706|${encodeURIComponent(KEY)}`, numeric);
    expect(result.accepted).toEqual([{ destination: '972500000000', messageId: 'm1' }]);
    expect(result.rejected).toEqual([
      { destination: '[REDACTED]', code: '1706', description: 'Invalid destination', retryable: false },
    ]);
  });
});

describe('a reply that carries a new secret', () => {
  // The issued token is not known to the redactor until the reply has been read, so a
  // malformed token reply must not be quoted at all.
  const secret = { ...words, secret: true };
  const token = { codec: 'json', status: 'error', statusOptional: true, shape: { type: 'object', props: {} } } as const;

  it.each([
    ['cut short', '{"access_token":"AT1xAccessTokenQ7mZ1","refresh_token":"RT1xRefreshTokenK3pW1"'],
    [
      'with a status that is not a code',
      '{"error":"no token for you","access_token":"AT1xAccessTokenQ7mZ1","refresh_token":"RT1xRefreshTokenK3pW1"}',
    ],
  ])('shows neither its body nor an excerpt when %s', (_, body) => {
    const error = thrown(() => decodeJson(body, token, secret)) as ParseError;
    expect(error).toBeInstanceOf(ParseError);
    expect(error.body).toBe('[withheld: holds a secret]');
    expectNoSecret(error, ['AT1xAccessTokenQ7mZ1', 'RT1xRefreshTokenK3pW1', 'access_token']);
  });

  it('still reports a catalog code as a VendorError', () => {
    expect(thrown(() => decodeJson('{"error":"invalid_client"}', token, secret))).toMatchObject({
      constructor: VendorError,
      code: 'invalid_client',
    });
  });
});
