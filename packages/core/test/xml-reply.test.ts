import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runs } from '../../../test/support/property.js';
import { decodeJson } from '../src/codecs/json.js';
import { parseXml, shapeXml } from '../src/xml-codec.js';
import type { ReplyDefinition, XmlShape } from '../src/vendor-definition.js';
import { ParseError, VendorError } from '../src/errors.js';
import { decodeReply, replyContext, thrown } from './helpers.js';

const ctx = replyContext({
  '0': { outcome: 'success', description: 'Success' },
  '101': { outcome: 'error', description: 'Check your credentials' },
  '-110': { outcome: 'error', description: 'Wrong username or secret_key' },
});

const contactList: XmlShape = {
  type: 'object',
  props: {
    status: { shape: { type: 'integer' } },
    error: { shape: { type: 'integer' } },
    remarks: { shape: { type: 'string' } },
    total: { shape: { type: 'integer' } },
    contacts: {
      shape: {
        type: 'array',
        item: 'contact',
        items: {
          type: 'object',
          props: { contactId: { shape: { type: 'string' } }, cost: { shape: { type: 'number' } } },
        },
      },
    },
    sms: {
      shape: {
        type: 'array',
        items: {
          type: 'object',
          props: { smsId: { shape: { type: 'string' } }, flash: { shape: { type: 'boolean' } } },
        },
      },
    },
    phone: {
      name: 'tel',
      shape: {
        type: 'object',
        props: {
          id: { attribute: true, shape: { type: 'string' } },
          number: { name: '#text', shape: { type: 'string' } },
        },
      },
    },
  },
};
const reply: Extract<ReplyDefinition, { codec: 'json' }> = {
  codec: 'json',
  status: 'error',
  shape: contactList,
  xml: { when: { type: 'xml' } },
};

const envelope = (inner: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<response><status>1</status><error>0</error><remarks>Success</remarks>${inner}</response>`;

describe('XML replies', () => {
  it('decode to the same object as the JSON form of the same data', () => {
    const xml = envelope(
      '<total>1</total><contacts><contact><contactId>0501234567</contactId><cost>0.045</cost></contact></contacts><sms><smsId>7</smsId><flash>false</flash></sms>',
    );
    const json = JSON.stringify({
      status: 1,
      error: 0,
      remarks: 'Success',
      total: 1,
      contacts: [{ contactId: '0501234567', cost: 0.045 }],
      sms: [{ smsId: '7', flash: false }],
    });
    expect(decodeJson(xml, reply, ctx, { type: 'xml' })).toEqual(decodeJson(json, reply, ctx, {}));
  });

  it('keeps a single repeated element a list, an empty wrapper an empty list, leading zeros as text', () => {
    const one = decodeJson(envelope('<contacts/><sms><smsId>007</smsId><flash>1</flash></sms>'), reply, ctx, {
      type: 'xml',
    });
    expect(one).toMatchObject({ contacts: [], sms: [{ smsId: '007', flash: true }] });
    expect(decodeJson(envelope(''), reply, ctx, { type: 'xml' })).toMatchObject({ sms: [] });
  });

  it('reads attributes and element text, and decodes entities and character references', () => {
    const value = decodeJson(
      envelope('<tel id="ext &amp; 1">05&#x31;2</tel><remarks2>a &lt; b</remarks2>'),
      reply,
      ctx,
      { type: 'xml' },
    );
    expect(value).toMatchObject({ phone: { id: 'ext & 1', number: '0512' }, remarks2: 'a < b' });
  });

  it('decodes HTML entities wherever a body has an &, and reads a body without one the same', () => {
    // Bodies without `&` skip the parser's HTML entity table (a speed-up, docs/benchmarks.md, "XML decode");
    // this holds the two paths to one result.
    expect(parseXml('<r><a>&euro;5&nbsp;x &#x31;</a><b id="7">plain</b></r>', ctx)).toEqual({
      a: '€5\u00a0x 1',
      b: { '#text': 'plain', '@_id': '7' },
    });
    expect(parseXml('<r><a>€5\u00a0x 1</a><b id="7">plain</b></r>', ctx)).toEqual({
      a: '€5\u00a0x 1',
      b: { '#text': 'plain', '@_id': '7' },
    });
  });

  it('reports the status element of an error reply as a VendorError from the catalog', () => {
    const xml = '<response><status>0</status><error>101</error><remarks>Check your credentials</remarks></response>';
    expect(thrown(() => decodeJson(xml, reply, ctx, { type: 'xml' }))).toMatchObject({
      name: 'VendorError',
      code: '101',
      description: 'Check your credentials',
    });
  });

  it('without a status element, takes a bare catalog code instead of XML as the error', () => {
    const senders: ReplyDefinition = {
      codec: 'xml',
      shape: { type: 'object', props: { sender: { shape: { type: 'array', items: { type: 'string' } } } } },
    };
    expect(decodeReply('<usersender><sender>ACME</sender></usersender>', senders, ctx)).toEqual({ sender: ['ACME'] });
    expect(thrown(() => decodeReply(' -110\n', senders, ctx))).toMatchObject({ name: 'VendorError', code: '-110' });
  });

  const bomb = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><response>&lol2;</response>`;
  it.each([
    ['an entity bomb', bomb],
    ['a DOCTYPE', '<!DOCTYPE response SYSTEM "http://evil.test/x.dtd"><response/>'],
    ['an external entity', '<?xml version="1.0"?><!ENTITY x SYSTEM "file:///etc/passwd"><response>&x;</response>'],
    ['a __proto__ element', envelope('<__proto__><polluted>1</polluted></__proto__>')],
    ['a constructor element', envelope('<constructor><prototype>1</prototype></constructor>')],
    ['a truncated reply', envelope('<total>1</total>').slice(0, -8)],
    ['mismatched tags', '<response><status>1</error></response>'],
    ['two roots', '<a/><b/>'],
    ['plain text', 'Service unavailable'],
    ['an empty body', ''],
    ['a non-integer where the schema says integer', envelope('<total>one</total>')],
    ['a nesting bomb', `${'<a>'.repeat(5000)}${'</a>'.repeat(5000)}`],
  ])('refuses %s with a ParseError', (_, body) => {
    expect(thrown(() => decodeJson(body, reply, ctx, { type: 'xml' }))).toBeInstanceOf(ParseError);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('never quotes a credential in a parse error', () => {
    const secretive = replyContext({ '0': { outcome: 'success', description: 'ok' } }, ['Zq9SECRETvalue77']);
    const error = thrown(() => parseXml('<response>Zq9SECRETvalue77', secretive)) as ParseError;
    expect(`${error.message} ${error.body}`).not.toContain('Zq9SECRET');
  });

  it('either decodes or throws a typed error for any input, and never pollutes a prototype', () => {
    const names = fc.constantFrom(
      'response',
      'status',
      'error',
      'total',
      'contacts',
      'contact',
      'sms',
      '__proto__',
      'constructor',
      'tel',
      'x',
    );
    const text = fc.oneof(
      fc.string(),
      fc.constantFrom('&amp;', '&lt;', '&#x1F600;', '&bogus;', '<![CDATA[x]]>', '0', '-1', '1.5', 'true'),
    );
    const element: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        fc.tuple(names, text).map(([n, t]) => `<${n}>${t}</${n}>`),
        fc.tuple(names, fc.array(tie('node'), { maxLength: 4 })).map(([n, kids]) => `<${n}>${kids.join('')}</${n}>`),
      ),
    })).node;
    const bodies = fc.oneof(
      fc.string(),
      element.map((inner) => envelope(inner)),
      fc.tuple(element, fc.nat()).map(([inner, cut]) => envelope(inner).slice(0, cut)),
      element,
    );
    fc.assert(
      fc.property(bodies, (body) => {
        try {
          decodeJson(body, reply, ctx, { type: 'xml' });
        } catch (error) {
          expect(error instanceof ParseError || error instanceof VendorError).toBe(true);
        }
        expect(Object.getOwnPropertyNames(Object.prototype)).not.toContain('polluted');
      }),
      { numRuns: runs(10_000) },
    );
  });

  it('shapes values by the schema: a list element that is text is refused', () => {
    expect(thrown(() => shapeXml('text', contactList, ctx, 'text'))).toBeInstanceOf(ParseError);
  });
});

describe('the root element and children of any name', () => {
  // Dreams L180: "<usersender> ... </usersender>: Success Result", the inner element never shown.
  const senders: ReplyDefinition = {
    codec: 'xml',
    root: 'usersender',
    shape: {
      type: 'object',
      props: { sender: { anyName: true, shape: { type: 'array', items: { type: 'string' } } } },
    },
  };

  it('reads every child as the list, whatever it is called', () => {
    expect(decodeReply('<usersender><name>A</name><name>B</name></usersender>', senders, ctx)).toEqual({
      sender: ['A', 'B'],
    });
    expect(decodeReply('<usersender><x>A</x></usersender>', senders, ctx)).toEqual({ sender: ['A'] });
    expect(decodeReply('<usersender/>', senders, ctx)).toEqual({ sender: [] });
  });

  it('refuses children of two names', () => {
    expect(thrown(() => decodeReply('<usersender><a>A</a><b>B</b></usersender>', senders, ctx))).toBeInstanceOf(
      ParseError,
    );
  });

  it('refuses a reply whose root is not the one the schema names', () => {
    for (const body of ['<html><body><p>Error</p></body></html>', '<error><code>-110</code></error>', '<senders/>']) {
      const error = thrown(() => decodeReply(body, senders, ctx));
      expect(error).toBeInstanceOf(ParseError);
      expect((error as ParseError).message).toMatch(/root element <usersender>/);
    }
    expect(thrown(() => parseXml('<b><c>1</c></b>', ctx, [], 'a'))).toBeInstanceOf(ParseError);
    expect(parseXml('<a><c>1</c></a>', ctx, [], 'a')).toEqual({ c: '1' });
  });

  it('checks the root of a rootless-tolerant reply when it has one', () => {
    expect(thrown(() => parseXml('<other><status>1</status></other>', ctx, ['rootless'], 'rmNumBL'))).toBeInstanceOf(
      ParseError,
    );
    expect(parseXml('<rmNumBL><status>1</status></rmNumBL>', ctx, ['rootless'], 'rmNumBL')).toEqual({ status: '1' });
    expect(parseXml('<status>944</status><message>m</message>', ctx, ['rootless'], 'rmNumBL')).toEqual({
      status: '944',
      message: 'm',
    });
  });

  it('checks the root of the XML twin of a JSON reply', () => {
    const rooted = { ...reply, xml: { ...reply.xml!, root: 'response' } };
    expect(
      thrown(() => decodeJson('<html><status>1</status><error>0</error></html>', rooted, ctx, { type: 'xml' })),
    ).toBeInstanceOf(ParseError);
    expect(decodeJson(envelope(''), rooted, ctx, { type: 'xml' })).toMatchObject({ status: 1 });
  });
});

describe('XML replies are bounded in what they cost to decode', () => {
  // Decoding is synchronous: these limits bound how long one reply can hold up the event loop.
  // They grow with maxReplyBytes, one tag per 16 bytes of it, one entity reference per 64, one
  // attribute per 1,024, and at least 64 of each (1 KiB: 64 tags and 64 entity references).
  const capped = (kib: number) => ({ ...ctx, maxReplyBytes: kib * 1024 });
  const body = (inner: string, attributes = '') =>
    `<response${attributes}><status>1</status><error>0</error>${inner}</response>`;
  const decode = (xml: string, kib: number) => decodeJson(xml, reply, capped(kib), { type: 'xml' });
  // The envelope holds 6 tags (`<response>` … `</error>` and `</response>`).
  const tags = (n: number) => '<x>1</x>'.repeat(n / 2);
  const attributes = (n: number) => Array.from({ length: n }, (_, i) => ` a${i}="1"`).join('');

  it('reads a reply with as many tags as the limit allows, and refuses one more', () => {
    expect(decode(body(tags(58)), 1)).toMatchObject({ x: Array(29).fill('1') });
    expect(thrown(() => decode(body(`${tags(58)}<y></y>`), 1))).toMatchObject({
      name: 'ParseError',
      message: expect.stringContaining('more than 64 tags'),
    });
    // Twice the bytes, twice the tags.
    expect(decode(body(tags(122)), 2)).toMatchObject({ x: Array(61).fill('1') });
  });

  it('counts an empty element as a pair of tags', () => {
    expect(decode(body('<x/>'.repeat(29)), 1)).toMatchObject({ x: Array(29).fill('') });
    expect(thrown(() => decode(body('<x/>'.repeat(30)), 1))).toBeInstanceOf(ParseError);
  });

  it('limits attributes and entity references', () => {
    expect(decode(body('', attributes(128)), 128)).toMatchObject({ status: 1 });
    expect(thrown(() => decode(body('', attributes(129)), 128))).toMatchObject({
      message: expect.stringContaining('more than 128 attributes'),
    });
    expect(decode(body(`<remarks>${'&amp;'.repeat(64)}</remarks>`), 1)).toMatchObject({ remarks: '&'.repeat(64) });
    expect(thrown(() => decode(body(`<remarks>${'&amp;'.repeat(65)}</remarks>`), 1))).toMatchObject({
      message: expect.stringContaining('more than 64 entity references'),
    });
  });

  it('limits distinct element names to 256, where objects with thousands of keys cost the most', () => {
    // The envelope has 3 names; repeating a name costs none, and an empty element counts once.
    const names = (n: number) => Array.from({ length: n }, (_, i) => `<n${i}>1</n${i}><n${i}/>`).join('');
    expect(decode(body(names(253)), 64)).toMatchObject({ n252: ['1', ''] });
    expect(thrown(() => decode(body(names(254)), 64))).toMatchObject({
      message: expect.stringContaining('more than 256 element names'),
    });
  });

  it('applies the limits of the default maxReplyBytes (256 KiB: 16,384 tags) when the client gives none', () => {
    expect(decodeJson(body(tags(16_378)), reply, ctx, { type: 'xml' })).toMatchObject({ status: 1 });
    expect(thrown(() => decodeJson(body(tags(16_380)), reply, ctx, { type: 'xml' }))).toMatchObject({
      message: expect.stringContaining('more than 16384 tags'),
    });
  });

  it('counts before repairing or wrapping a tolerated defect', () => {
    const rootless: ReplyDefinition = { codec: 'xml', shape: { type: 'object', props: {} }, tolerate: ['rootless'] };
    expect(decodeReply('<x>1</x>'.repeat(32), rootless, capped(1))).toMatchObject({ x: Array(32).fill('1') });
    expect(thrown(() => decodeReply('<x>1</x>'.repeat(33), rootless, capped(1)))).toBeInstanceOf(ParseError);
    const unclosed: ReplyDefinition = {
      codec: 'xml',
      shape: { type: 'object', props: {} },
      tolerate: ['unclosed-text'],
    };
    expect(decodeReply(`<r>${'<x>1<x>'.repeat(31)}</r>`, unclosed, capped(1))).toMatchObject({
      x: Array(31).fill('1'),
    });
    expect(thrown(() => decodeReply(`<r>${'<x>1<x>'.repeat(32)}</r>`, unclosed, capped(1)))).toBeInstanceOf(ParseError);
  });
});
