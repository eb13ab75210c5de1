import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import type { OperationDefinition, ReplyDefinition, VendorDefinition, XmlShape } from '../src/vendor-definition.js';
import { ParseError, VendorError } from '../src/errors.js';
import { buildXml, parseXml, shapeXml, xmlCodec } from '../src/xml-codec.js';
import { decodeReply, encodeRequest, replyContext, thrown, validateParams } from './helpers.js';

/** SMS Leads' `<sms>` command, as the generator derives it from the spec. */
const phone: XmlShape = {
  type: 'object',
  props: { id: { attribute: true, shape: { type: 'string' } }, number: { text: true, shape: { type: 'string' } } },
};
const smsShape = {
  type: 'object',
  props: {
    user: { shape: { type: 'object', props: { username: { shape: { type: 'string' } } } } },
    source: { shape: { type: 'string' } },
    destinations: {
      shape: {
        type: 'object',
        props: {
          cl_id: { shape: { type: 'array', items: { type: 'string' } } },
          phone: { shape: { type: 'array', items: phone } },
        },
      },
    },
    message: { shape: { type: 'string' } },
    timing: { shape: { type: 'string' } },
    add_dynamic: { shape: { type: 'integer' } },
  },
} as const satisfies XmlShape;
const wrapped: XmlShape = {
  type: 'object',
  props: { phones: { name: 'phones', shape: { type: 'array', item: 'phone', items: { type: 'string' } } } },
};

const roundTrip = (shape: XmlShape, value: unknown) =>
  shapeXml(parseXml(buildXml('sms', shape, value), replyContext({})), shape, replyContext({}), '');

describe('XML requests', () => {
  it('are written in the order of the table, lists repeated in place or inside their wrapper, attributes and text where it says', () => {
    const xml = buildXml('sms', smsShape, {
      message: 'Hi',
      destinations: { phone: [{ number: '0501234567', id: 'a1' }, { number: '521234567' }], cl_id: ['21518'] },
      user: { username: 'JohnDoe' },
      source: 'DemoAPI',
      add_dynamic: 0,
    });
    expect(xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><sms><user><username>JohnDoe</username></user><source>DemoAPI</source>' +
        '<destinations><cl_id>21518</cl_id><phone id="a1">0501234567</phone><phone>521234567</phone></destinations>' +
        '<message>Hi</message><add_dynamic>0</add_dynamic></sms>',
    );
    expect(buildXml('rmNumBL', wrapped, { phones: ['0501234567'] })).toContain(
      '<phones><phone>0501234567</phone></phones>',
    );
    expect(buildXml('rmNumBL', wrapped, { phones: [] })).toContain('<phones/>');
  });

  it('keep entity-like text, markup characters and quotes exactly as given', () => {
    for (const text of ['AT&T', '&amp;', '&lt;b&gt;', '&#65;', '&foo;', '<b>"q" \'s\'</b>', ']]>']) {
      const value = { source: 'x', message: text, destinations: { phone: [{ number: '1', id: text }] } };
      expect(roundTrip(smsShape, value)).toMatchObject({
        message: text,
        destinations: { phone: [{ number: '1', id: text }] },
      });
    }
  });

  it(`round-trip any text, Hebrew and emoji included, in elements and attributes (${runs(10_000)} cases)`, () => {
    const text = fc.oneof(
      fc.string({ unit: 'grapheme' }),
      fc.string({
        unit: fc.constantFrom(
          '&',
          '<',
          '>',
          '"',
          "'",
          ';',
          '#',
          'a',
          'ש',
          'ל',
          '\u200f',
          '😀',
          ' ',
          '\n',
          '\t',
          '\r',
          '\r\n',
        ),
      }),
    );
    fc.assert(
      fc.property(text, text, (message, id) => {
        // Leading and trailing white space is not significant in these replies (trimValues).
        const value = {
          source: 's',
          message: `x${message}x`,
          destinations: { phone: [{ number: '0501234567', id: `x${id}x` }] },
        };
        expect(
          validateParams(
            { message: { in: 'xml', required: true, schema: { type: 'string' } } },
            { message: value.message },
          ),
        ).toEqual([]);
        const back = roundTrip(smsShape, value) as { message: string; destinations: { phone: { id?: string }[] } };
        expect(back.message).toBe(value.message);
        expect(back.destinations.phone[0]!.id).toBe(value.destinations.phone[0]!.id);
      }),
      { numRuns: runs(10_000) },
    );
  });
});

describe('validation of XML parameters', () => {
  const params = { message: { in: 'xml' as const, required: true, schema: { type: 'string' as const } } };
  it('refuses control characters and lone surrogates, which XML cannot carry, before anything is sent', () => {
    for (const bad of ['a\u0000b', 'bell\u0007', 'esc\u001b', '\ud800', 'x\udc00y', '\uffff']) {
      expect(validateParams(params, { message: bad })[0]?.message).toMatch(
        /control character, lone surrogate or noncharacter/,
      );
    }
    expect(
      validateParams(
        {
          list: {
            in: 'xml',
            required: true,
            schema: {
              type: 'array',
              items: { type: 'object', properties: { a: { type: 'string' }, b: { type: 'string' } } },
            },
          },
        },
        { list: [{ a: 'ok' }, { b: 'x\u0001' }] },
      )[0],
    ).toMatchObject({
      path: 'list',
      message: expect.stringMatching(/^\[1\] \.b contains/),
    });
    expect(validateParams(params, { message: 'tab\tnew line\n CR\r שלום 😀' })).toEqual([]);
  });
});

describe('dd/mm/yy hh:mm dates', () => {
  const op: OperationDefinition = {
    method: 'post',
    path: '/api#dlr',
    kind: 'read',
    security: ['username'],
    params: {
      from: {
        in: 'xml',
        required: true,
        schema: { type: 'string', pattern: '^[0-9]{2}/[0-9]{2}/[0-9]{2} [0-9]{2}:[0-9]{2}$' },
        encode: 'dd/mm/yy hh:mm',
        timeZone: 'Asia/Jerusalem',
      },
      to: {
        in: 'xml',
        required: true,
        schema: { type: 'string' },
        encode: 'dd/mm/yy hh:mm',
        timeZone: 'Asia/Jerusalem',
      },
    },
    fixed: { transactions: ['null'] },
    xml: {
      root: 'dlr',
      shape: {
        type: 'object',
        props: {
          user: { shape: { type: 'object', props: { username: { shape: { type: 'string' } } } } },
          transactions: { shape: { type: 'array', item: 'external_id', items: { type: 'string' } } },
          from: { shape: { type: 'string' } },
          to: { shape: { type: 'string' } },
        },
      },
    },
    reply: { codec: 'xml', status: 'status', shape: { type: 'object', props: {} } },
    codes: {},
  };
  const definition: VendorDefinition = {
    vendor: 'acme',
    servers: ['https://x'],
    credentials: { username: { in: 'xml', name: 'user.username' } },
    operations: { dlr: op },
    xmlCodec,
  };

  it('are written in the vendor time zone, across daylight saving time; strings pass as they are', () => {
    // 2021-03-30 07:10 UTC is 10:10 in Israel (summer time, UTC+3); 2021-01-01 22:30 UTC is 00:30 the next day (UTC+2).
    const wire = encodeRequest(
      definition,
      op,
      { from: new Date('2021-03-30T07:10:00Z'), to: new Date('2021-01-01T22:30:00Z') },
      { username: 'JohnDoe' },
    );
    expect(wire.xml).toBe(
      '<?xml version="1.0" encoding="UTF-8"?><dlr><user><username>JohnDoe</username></user><transactions><external_id>null</external_id></transactions>' +
        '<from>30/03/21 10:10</from><to>02/01/21 00:30</to></dlr>',
    );
    expect(wire.headers['content-type']).toBe('application/xml');
    expect(
      encodeRequest(definition, op, { from: '01/01/21 00:00', to: '01/01/21 23:59' }, { username: 'u' }).xml,
    ).toContain('<from>01/01/21 00:00</from>');
  });

  it('refuse an invalid Date and check a formatted one against the pattern', () => {
    expect(validateParams(op.params, { from: new Date('nope'), to: new Date() })).toEqual([
      { path: 'from', message: 'is an invalid Date' },
    ]);
    expect(validateParams(op.params, { from: new Date(), to: new Date() })).toEqual([]);
  });
});

describe('declared XML reply defects', () => {
  const codes = {
    '0': { outcome: 'success' as const, description: 'OK' },
    '944': { outcome: 'success' as const, description: 'Some numbers not in blacklist' },
    '933': { outcome: 'error' as const, description: 'Phone or reason not valid' },
  };
  const ctx = replyContext(codes);
  const shape: XmlShape = {
    type: 'object',
    props: {
      status: { shape: { type: 'integer' } },
      message: { shape: { type: 'string' } },
      shipment_id: { shape: { type: 'string' } },
    },
  };
  const lenient: ReplyDefinition = { codec: 'xml', status: 'status', shape, tolerate: ['unclosed-text', 'rootless'] };
  const strict: ReplyDefinition = { codec: 'xml', status: 'status', shape };

  it('an opening tag written for a closing one is read when declared, refused otherwise', () => {
    const body =
      '<?xml version="1.0" encoding="UTF-8"?>\n<sms>\n<status>0</status>\n<message>SMS will be sent</message>\n<shipment_id>4711<shipment_id>\n</sms>';
    expect(decodeReply(body, lenient, ctx)).toEqual({ status: 0, message: 'SMS will be sent', shipment_id: '4711' });
    expect(thrown(() => decodeReply(body, strict, ctx))).toBeInstanceOf(ParseError);
  });

  it('sibling elements without a root are the reply when declared, refused otherwise', () => {
    const ok =
      '<?xml version="1.0" encoding="UTF-8"?>\n<status>944</status>\n<message>2 deleted, 1 not in blacklist</message>';
    expect(decodeReply(ok, lenient, ctx)).toEqual({ status: 944, message: '2 deleted, 1 not in blacklist' });
    expect(
      thrown(() => decodeReply('<status>933</status> <message>Phones or reason not valid</message>', lenient, ctx)),
    ).toMatchObject({ code: '933' });
    expect(thrown(() => decodeReply('<status>933</status>', lenient, ctx))).toBeInstanceOf(VendorError);
    expect(thrown(() => decodeReply(ok, strict, ctx))).toBeInstanceOf(ParseError);
  });

  it('still refuse what the declared defects do not cover, each as a ParseError, quickly', () => {
    const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><sms><status>&lol2;</status></sms>`;
    for (const body of [
      bomb,
      '<!DOCTYPE sms><sms><status>0</status></sms>',
      '<sms><__proto__><polluted>1</polluted></__proto__><status>0</status></sms>',
      '<status>0</status><constructor>1</constructor>',
      '<sms><status>0</status><message>SMS will',
      '<sms><status>0</status><shipment_id>4711<shipment_id>',
      'hello <status>0</status>',
      '',
      'Status 0',
    ]) {
      const started = performance.now();
      expect(
        thrown(() => decodeReply(body, lenient, ctx)),
        body,
      ).toBeInstanceOf(ParseError);
      expect(performance.now() - started).toBeLessThan(100);
    }
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it(`never fail with anything but a typed error on any input (${runs(10_000)} cases)`, () => {
    const pieces = fc.constantFrom(
      '<status>',
      '</status>',
      '0',
      '944',
      '<sms>',
      '</sms>',
      '<message>',
      '</message>',
      '<shipment_id>',
      'x',
      '&amp;',
      '&',
      '<',
      '<?xml version="1.0"?>',
      ' ',
    );
    fc.assert(
      fc.property(
        fc.array(pieces, { maxLength: 12 }).map((p) => p.join('')),
        (body) => {
          try {
            decodeReply(body, lenient, ctx);
          } catch (error) {
            expect(error instanceof ParseError || error instanceof VendorError, String(error)).toBe(true);
          }
        },
      ),
      { numRuns: runs(10_000) },
    );
  });
});
