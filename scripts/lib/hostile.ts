import type { OperationDefinition, VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import { limitOf, type bytesPer } from '../../packages/core/src/codecs/limits.js';
import { definition as dinisoft } from '../../packages/dinisoft/src/index.js';
import { definition as sms365 } from '../../packages/sms365/src/index.js';
import { definition as smsleads } from '../../packages/smsleads/src/index.js';
import { definition as unified } from '../../packages/unified/src/index.js';

/** A reply built to cost the most to decode while the client still reads it. */
export interface HostileReply {
  name: string;
  definition: VendorDefinition;
  operation: OperationDefinition;
  params: Record<string, unknown>;
  body: string;
}

interface Shape {
  name: string;
  definition: VendorDefinition;
  operation: string;
  params?: Record<string, unknown>;
  /** The body with `n` repetitions of the costly part. */
  build: (n: number) => string;
}

/** `n` units, each with its own name, as far as the limit on distinct names allows. */
const names = (n: number, unit: (name: string) => string, distinct = n) =>
  Array.from({ length: n }, (_, i) => unit(`a${(i % distinct).toString(36)}`)).join('');
const xml = { type: 'xml' };
const envelope = (inner: string) =>
  `<response><status>1</status><error>0</error><remarks>Success</remarks>${inner}</response>`;

const shapes = (maxNames: number): Shape[] => [
  {
    name: 'XML: attributes',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => `<response${names(n, (a) => ` ${a}="1"`)}><status>1</status><error>0</error></response>`,
  },
  {
    name: 'XML: small elements',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => envelope('<a/>'.repeat(n)),
  },
  {
    name: 'XML: distinct elements',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => envelope(names(n, (a) => `<${a}>1</${a}>`, maxNames)),
  },
  {
    name: 'XML: list items',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => envelope('<sms><smsId>7000000</smsId><status>d</status></sms>'.repeat(n)),
  },
  {
    name: 'XML: deep nesting',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => envelope(`${'<a>'.repeat(n)}${'</a>'.repeat(n)}`),
  },
  {
    name: 'XML: never closed',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => `<response>${'<a>'.repeat(n)}`,
  },
  {
    name: 'XML: CDATA sections',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => envelope('<![CDATA[x]]>'.repeat(n)),
  },
  {
    name: 'XML: entity references',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => envelope(`<text>${'&amp;'.repeat(n)}</text>`),
  },
  {
    name: 'XML: long text',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) => envelope(`<text>${'x'.repeat(n)}</text>`),
  },
  {
    name: 'XML: unclosed text, repaired',
    definition: smsleads,
    operation: 'dlr',
    build: (n) => `<dlr><status>0</status><message></message>${'<a>x<a>'.repeat(n)}</dlr>`,
  },
  {
    name: 'XML: unclosed text, unrepairable',
    definition: smsleads,
    operation: 'dlr',
    build: (n) => `<dlr><status>0</status>${'<a>x<a>'.repeat(n)}<`,
  },
  {
    name: 'XML: rootless siblings',
    definition: smsleads,
    operation: 'rmNumBL',
    build: (n) => `<status>944</status>${'<a>1</a>'.repeat(n)}`,
  },
  {
    name: 'XML: rootless distinct siblings',
    definition: smsleads,
    operation: 'rmNumBL',
    build: (n) => `<status>944</status>${names(n, (a) => `<${a}>1</${a}>`, maxNames)}`,
  },
  {
    name: 'XML: every limit at once',
    definition: sms365,
    operation: 'statusGet',
    params: xml,
    build: (n) =>
      `<response${names(n >> 6, (a) => ` ${a}="1"`)}><status>1</status><error>0</error>${names(n, (a) => `<${a}/>`, maxNames)}<t>${'&lt;'.repeat(n >> 2)}</t></response>`,
  },
  {
    name: 'JSON: deep arrays',
    definition: dinisoft,
    operation: 'sendText',
    build: (n) => `{"Status":"0","x":${'['.repeat(n)}${']'.repeat(n)}}`,
  },
  {
    name: 'JSON: distinct keys',
    definition: dinisoft,
    operation: 'sendText',
    build: (n) => `{"Status":"0"${names(n, (a) => `,"${a}":0`)}}`,
  },
  {
    name: 'JSON: small values',
    definition: dinisoft,
    operation: 'sendText',
    build: (n) => `{"Status":"0","x":[${'0,'.repeat(n)}0]}`,
  },
  {
    name: 'JSON: empty objects',
    definition: dinisoft,
    operation: 'sendText',
    build: (n) => `{"Status":"0","x":[${'{},'.repeat(n)}{}]}`,
  },
  {
    name: 'JSON: escapes',
    definition: dinisoft,
    operation: 'sendText',
    build: (n) => `{"Status":"0","x":"${'\\u0041'.repeat(n)}"}`,
  },
  {
    name: 'JSON: list items (sms365)',
    definition: sms365,
    operation: 'statusGet',
    build: (n) =>
      `{"status":1,"error":0,"remarks":"Success","sms":[${'{"smsId":"7000000","status":"d"},'.repeat(n)}{}]}`,
  },
  {
    name: 'pipe: rejected entries',
    definition: unified,
    operation: 'bulksms',
    build: (n) => `${'1706|9198,'.repeat(n)}1701|9198|m`,
  },
  { name: 'pipe: accepted entries', definition: unified, operation: 'bulksms', build: (n) => '1701|9|m,'.repeat(n) },
];

/** The characters each codec counts against `bytesPer` (codecs/xml-reply.ts, codecs/json.ts). */
const counted: Record<string, [string[], keyof typeof bytesPer][]> = {
  xml: [
    [['<', '/>'], 'tag'],
    [['='], 'attribute'],
    [['&'], 'entity reference'],
  ],
  json: [[[',', '[', '{'], 'value']],
};

function fits(body: string, language: string | undefined, maxReplyBytes: number): boolean {
  if (Buffer.byteLength(body) > maxReplyBytes) return false;
  return (counted[language ?? ''] ?? []).every(([marks, kind]) => {
    let count = 0;
    for (const mark of marks) count += body.split(mark).length - 1;
    return count <= limitOf(maxReplyBytes, kind);
  });
}

/**
 * Each shape with the most repetitions that still fit the byte cap and the structural limits
 * (or, with `limited: false`, the byte cap alone, as before there were structural limits).
 */
export function hostileReplies(maxReplyBytes: number, limited = true): HostileReply[] {
  // As many names as codecs/xml-reply.ts allows, less a few for the envelope.
  return shapes(limited ? 256 - 8 : Infinity).map(({ name, definition, operation, params = {}, build }) => {
    const language = limited
      ? name.startsWith('XML')
        ? 'xml'
        : name.startsWith('JSON')
          ? 'json'
          : undefined
      : undefined;
    let low = 0;
    let high = maxReplyBytes;
    while (low < high) {
      const mid = Math.ceil((low + high) / 2);
      if (fits(build(mid), language, maxReplyBytes)) low = mid;
      else high = mid - 1;
    }
    return { name, definition, operation: definition.operations[operation]!, params, body: build(low) };
  });
}

/**
 * The largest reply the vendors document: a page of SMS Leads delivery reports, at most 1,000
 * (smsleads.txt L222), each as the document shows it (L229-L236, `<shipment_id>` unclosed).
 */
export function deliveryReports(count = 1000): HostileReply {
  const report = (i: number) =>
    `<transaction>\n<external_id>${1391438285 + i}</external_id>\n<status>102</status>\n<he_message>הגיע ליעד </he_message>\n` +
    `<en_message>Delivered</en_message>\n<date>03/02/21 16:38</date>\n<shipment_id>${12345678 + i}<shipment_id>\n</transaction>\n`;
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<dlr>\n<status>0</status>\n<message></message>\n<transactions>\n${Array.from({ length: count }, (_, i) => report(i)).join('')}</transactions>\n</dlr>`;
  return {
    name: `${count.toLocaleString('en')} delivery reports`,
    definition: smsleads,
    operation: smsleads.operations.dlr!,
    params: {},
    body,
  };
}
