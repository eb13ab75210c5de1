import { describe, expect, it } from 'vitest';
import { clientShape } from '../scripts/codegen/client-options.js';
import { buildDefinition } from '../scripts/codegen/build-definition.js';
import { emitClient } from '../scripts/codegen/emit-client.js';
import { emitDefinition } from '../scripts/codegen/emit-definition.js';
import { block, Code, lines, literal, object, spread } from '../scripts/codegen/print.js';
import type { Spec } from '../scripts/lib/vendors.js';

/** A minimal valid spec; each case breaks one thing the generator must refuse. */
function spec(change: (s: Spec) => void = () => undefined): Spec {
  const s: Spec = {
    openapi: '3.1.0',
    info: { title: 'Acme', version: '1' },
    servers: [{ url: 'https://api.acme.test' }],
    security: [{ key: [] }],
    components: {
      securitySchemes: { key: { type: 'apiKey', in: 'query', name: 'apikey', 'x-smswire-credential': 'apiKey' } },
    },
    paths: {
      '/send': {
        get: {
          operationId: 'send',
          summary: 'Send',
          'x-smswire-kind': 'write',
          'x-smswire-reply': { codec: 'json', status: 'Status' },
          'x-smswire-codes': {
            '0': { outcome: 'success', description: 'OK' },
            '9': { outcome: 'error', description: 'No', reason: 'number' },
          },
          parameters: [{ name: 'to', in: 'query', required: true, schema: { type: 'string', minLength: 1 } }],
          responses: {
            '200': {
              description: 'reply',
              content: {
                'application/json': {
                  schema: {
                    type: 'object',
                    properties: { Status: { type: 'string' }, At: { type: 'string', 'x-smswire-decode': 'epoch-ms' } },
                  },
                  examples: { ok: { value: { Status: '0' } }, no: { value: { Status: '9' } } },
                },
              },
            },
          },
        },
      },
    },
  };
  change(s);
  return s;
}
const op = (s: Spec) => s.paths['/send'].get;

/** `to` hex-encoded when `kind` is 2 or 6 (as Unified's Unicode types), with `extra` on top. */
function withUnicode(s: Spec, extra: Spec = {}) {
  op(s).parameters.push({ name: 'kind', in: 'query', required: true, schema: { type: 'integer', enum: [0, 2, 6] } });
  Object.assign(
    op(s).parameters[0],
    { 'x-smswire-encode': 'ucs2-hex', 'x-smswire-encode-when': { kind: [2, 6] }, 'x-smswire-encode-max-length': 17085 },
    extra,
  );
}

/** The operation with an XML reply tolerating `tolerate`; its examples are `ok` and the error reply `no`. */
function xmlOp(s: Spec, tolerate?: unknown, no = '<r><status>9</status></r>') {
  const o = op(s);
  o['x-smswire-reply'] = { codec: 'xml', status: 'status' };
  if (tolerate !== undefined) o['x-smswire-xml-tolerate'] = tolerate;
  o.responses['200'].content = {
    'application/xml': {
      schema: { xml: { name: 'r' }, properties: { status: { type: 'string' }, message: { type: 'string' } } },
      examples: { ok: { value: '<r><status>0</status></r>' }, no: { value: no } },
    },
  };
}

/** The GET operation as a POST with a form body, optionally changed. */
function postOp(change: (body: Spec) => void = () => undefined): Spec {
  const { parameters: _, ...get } = spec().paths['/send'].get;
  const body: Spec = {
    type: 'object',
    required: ['to'],
    properties: {
      to: { type: 'string', description: 'The receiver.', example: '1', minLength: 1 },
      flag: { type: 'integer', enum: [0, 1], description: 'A switch.', example: 1 },
      day: { type: 'string', description: 'A day.', example: '2030-01-31' },
    },
  };
  change(body);
  return {
    ...get,
    operationId: 'sendForm',
    requestBody: { required: true, content: { 'application/x-www-form-urlencoded': { schema: body } } },
  };
}

/** Dreams' calendar rule (L199-200 "required if is_calander=1") on the form body: `flag` 1 requires `day`. */
const calendar = () => ({
  if: { properties: { flag: { const: 1 } }, required: ['flag'] },
  then: { properties: { day: true }, required: ['day'] },
});

/** Turns the GET operation's reply into Dreams' sender list, with `itemXml` as the item's xml object. */
function xmlReplyOp(s: Spec, itemXml: Spec) {
  op(s)['x-smswire-reply'] = { codec: 'xml' };
  op(s)['x-smswire-codes'] = { '9': { outcome: 'error', description: 'No', reason: 'number' } };
  op(s).responses['200'].content = {
    'application/xml': {
      schema: {
        xml: { name: 'usersender' },
        properties: { sender: { type: 'array', items: { type: 'string', xml: itemXml } } },
      },
      examples: { ok: { value: '<usersender><sender>A</sender></usersender>' }, no: { value: '9' } },
    },
  };
}

/** `to` as Unified's `destination`: a comma-joined list, up to three numbers either way, with `change` on top. */
function commaList(change: (string: Spec, array: Spec) => void = () => undefined): Spec {
  const string = { type: 'string', pattern: '^[0-9]+(,[0-9]+){0,2}$' };
  const array = { type: 'array', minItems: 1, maxItems: 3, items: { type: 'string', pattern: '^[0-9]+$' } };
  change(string, array);
  return { style: 'form', explode: false, example: '9198,9199', schema: { anyOf: [string, array] } };
}

describe('the generator', () => {
  it('reads a form body: credentials and constants filled in, encodings, dependentRequired', () => {
    const post = postOp((body) => {
      body.properties.key = { type: 'string', 'x-smswire-credential': 'formKey' };
      body.properties.grant = { type: 'string', const: 'client_credentials' };
      body.properties.at = {
        type: 'integer',
        minimum: 0,
        description: 'When.',
        example: 1,
        'x-smswire-encode': 'unix-seconds',
      };
      body.properties.list = { type: 'array', items: { type: 'string' }, description: 'Several.', example: ['a'] };
      body.dependentRequired = { at: ['to'] };
      body.anyOf = [{ required: ['flag'] }, { required: ['day', 'at'] }];
    });
    post['x-smswire-wait'] = 'at';
    post.requestBody.content['application/x-www-form-urlencoded'].encoding = {
      list: { style: 'form', explode: false },
    };
    const { definition, operations } = buildDefinition(
      'acme',
      spec((s) => (s.paths['/send'].post = post)),
    );
    expect(definition.credentials.formKey).toEqual({ in: 'form', name: 'key' });
    expect(definition.operations.sendForm).toMatchObject({
      method: 'post',
      security: ['apiKey', 'formKey'],
      fixed: { grant: 'client_credentials' },
      dependentRequired: { at: ['to'] },
      requiredAnyOf: [['flag'], ['day', 'at']],
      waitParam: 'at',
      params: {
        to: { in: 'form', required: true },
        at: { in: 'form', required: false, encode: 'unix-seconds' },
        list: { in: 'form', encode: 'csv', schema: { type: 'array', items: { type: 'string' } } },
      },
    });
    expect(operations.find((o) => o.id === 'sendForm')).toMatchObject({
      injected: ['key', 'grant'],
      bodyType: 'application/x-www-form-urlencoded',
    });
  });

  it('reads a conditional ucs2-hex encoding of a query parameter or form field', () => {
    const { definition } = buildDefinition(
      'acme',
      spec((s) => withUnicode(s)),
    );
    expect(definition.operations.send!.params.to).toEqual({
      in: 'query',
      required: true,
      schema: { type: 'string', minLength: 1 },
      encode: 'ucs2-hex',
      encodeWhen: { kind: [2, 6] },
      encodeMaxLength: 17085,
    });
    const post = postOp((body) =>
      Object.assign(body.properties.to, { 'x-smswire-encode': 'ucs2-hex', 'x-smswire-encode-max-length': 70 }),
    );
    const form = buildDefinition(
      'acme',
      spec((s) => (s.paths['/send'].post = post)),
    ).definition.operations.sendForm!.params.to;
    expect(form).toEqual({
      in: 'form',
      required: true,
      schema: { type: 'string', minLength: 1 },
      encode: 'ucs2-hex',
      encodeMaxLength: 70,
    });
  });

  it('reads a comma-joined query list whose two forms take the same number of items', () => {
    // unified.txt L12: "Multiple mobile numbers need to be separated by a comma"; the limit (100) is smswire's.
    const { definition } = buildDefinition(
      'acme',
      spec((s) => Object.assign(op(s).parameters[0], commaList())),
    );
    expect(definition.operations.send!.params.to).toMatchObject({
      in: 'query',
      encode: 'csv',
      schema: { anyOf: [{ type: 'string' }, { type: 'array', maxItems: 3 }] },
    });
  });

  it('reads a valid spec into the runtime tables', () => {
    const { definition } = buildDefinition('acme', spec());
    expect(definition).toEqual({
      vendor: 'acme',
      servers: ['https://api.acme.test'],
      credentials: { apiKey: { in: 'query', name: 'apikey' } },
      operations: {
        send: {
          method: 'get',
          path: '/send',
          kind: 'write',
          security: ['apiKey'],
          params: { to: { in: 'query', required: true, schema: { type: 'string', minLength: 1 } } },
          reply: {
            codec: 'json',
            status: 'Status',
            decode: { At: 'epoch-ms' },
            // The reply schema a success is held to.
            shape: {
              type: 'object',
              props: { Status: { shape: { type: 'string' } }, At: { shape: { type: 'string' } } },
            },
          },
          codes: {
            '0': { outcome: 'success', description: 'OK' },
            '9': { outcome: 'error', description: 'No', reason: 'number' },
          },
        },
      },
    });
  });

  it('reads a body if/then, msisdn and calendar encodings, and a scalar that is never negative', () => {
    const post = postOp((body) => {
      Object.assign(body, calendar());
      body.properties.to['x-smswire-encode'] = 'msisdn';
      body.properties.day['x-smswire-encode'] = 'yyyy-mm-dd';
    });
    const { definition, operations } = buildDefinition(
      'acme',
      spec((s) => {
        s['x-smswire-time-zone'] = 'Asia/Riyadh';
        s.paths['/send'].post = post;
        op(s)['x-smswire-reply'] = { codec: 'scalar', negative: 'code' };
        op(s)['x-smswire-codes'] = { '-9': { outcome: 'error', description: 'No', reason: 'number' } };
        op(s).responses['200'].content = {
          'text/plain': { schema: { type: 'string' }, examples: { balance: { value: '10' }, no: { value: '-9' } } },
        };
      }),
    );
    expect(definition.operations.sendForm).toMatchObject({
      requiredIf: { name: 'flag', value: 1, required: ['day'] },
      params: {
        to: { schema: { type: 'string', encode: 'msisdn' } },
        day: { encode: 'yyyy-mm-dd', timeZone: 'Asia/Riyadh' },
      },
    });
    expect(definition.operations.send!.reply).toEqual({ codec: 'scalar', negative: 'code' });
    expect(operations.find((o) => o.id === 'sendForm')!.overrides).toEqual([
      { name: 'day', required: false, type: { date: true } },
    ]);
  });

  it('reads the root element of an XML reply and a list of children of any name', () => {
    const { definition } = buildDefinition(
      'acme',
      spec((s) => xmlReplyOp(s, { 'x-smswire-any-name': true })),
    );
    expect(definition.operations.send!.reply).toEqual({
      codec: 'xml',
      root: 'usersender',
      shape: {
        type: 'object',
        props: { sender: { anyName: true, shape: { type: 'array', items: { type: 'string' } } } },
      },
    });
  });

  it("reads any root when the spec says the document names none, and an operation's reply budget", () => {
    const { definition } = buildDefinition(
      'acme',
      spec((s) => {
        xmlReplyOp(s, { 'x-smswire-any-name': true });
        s['x-smswire-xml-any-root'] = true;
        op(s)['x-smswire-reply-budget'] = 16777216;
      }),
    );
    expect(definition.operations.send!.reply).not.toHaveProperty('root');
    expect(definition.operations.send!.replyBudget).toBe(16777216);
  });

  it('reads the root an error reply may come under instead of the command root', () => {
    const { definition } = buildDefinition(
      'acme',
      spec((s) => {
        xmlOp(s);
        s['x-smswire-xml-error-root'] = 'sms';
      }),
    );
    expect(definition.operations.send!.reply).toMatchObject({ root: 'r', errorRoot: 'sms' });
  });

  it("merges the vendor-wide catalog under each operation's own codes", () => {
    const { definition } = buildDefinition(
      'acme',
      spec((s) => {
        s['x-smswire-codes'] = {
          '9': { outcome: 'error', description: 'Vendor-wide', reason: 'validation' },
          '8': { outcome: 'error', description: 'Busy', retryable: true, reason: 'vendorDown' },
        };
        op(s).responses['200'].content['application/json'].examples.busy = { value: { Status: '8' } };
      }),
    );
    // The operation's own entry wins; the vendor's adds what the operation does not list.
    expect(definition.operations.send!.codes).toEqual({
      '0': { outcome: 'success', description: 'OK' },
      '8': { outcome: 'error', description: 'Busy', retryable: true, reason: 'vendorDown' },
      '9': { outcome: 'error', description: 'No', reason: 'number' },
    });
  });

  it('tolerates an XML defect only on the operation whose example replies show it', () => {
    const { definition } = buildDefinition(
      'acme',
      spec((s) => xmlOp(s, ['rootless'], '<status>9</status><message>No</message>')),
    );
    expect(definition.operations.send!.reply).toMatchObject({ codec: 'xml', tolerate: ['rootless'] });
    expect(
      buildDefinition(
        'acme',
        spec((s) => xmlOp(s)),
      ).definition.operations.send!.reply,
    ).not.toHaveProperty('tolerate');
  });

  it('marks the replies that carry a secret: x-smswire-secret-reply, and the OAuth2 token and refresh operations', () => {
    const marked = buildDefinition(
      'acme',
      spec((s) => (op(s)['x-smswire-secret-reply'] = true)),
    ).definition.operations.send!;
    expect(marked.secretReply).toBe(true);
    const token = buildDefinition(
      'acme',
      spec((s) => (op(s)['x-smswire-oauth'] = 'token')),
    ).definition.operations.send!;
    expect(token.secretReply).toBe(true);
    const revoke = buildDefinition(
      'acme',
      spec((s) => (op(s)['x-smswire-oauth'] = 'revoke')),
    ).definition.operations.send!;
    expect(revoke.secretReply).toBeUndefined();
  });

  it.each<[string, (s: Spec) => void, RegExp]>([
    ['x-smswire-xml-any-root other than true', (s) => (s['x-smswire-xml-any-root'] = 'yes'), /may only be true/],
    [
      'x-smswire-xml-any-root on a vendor without XML replies',
      (s) => (s['x-smswire-xml-any-root'] = true),
      /no operation has an XML reply/,
    ],
    [
      'x-smswire-xml-error-root that is no element name',
      (s) => (s['x-smswire-xml-error-root'] = '<sms>'),
      /element name/,
    ],
    [
      'x-smswire-xml-error-root without an XML reply with a status element',
      (s) => (s['x-smswire-xml-error-root'] = 'sms'),
      /no operation has an XML reply with a status/,
    ],
    ['a reply budget that is not a number', (s) => (op(s)['x-smswire-reply-budget'] = '16MiB'), /reply-budget/],
    [
      'a reply budget no larger than the default cap',
      (s) => (op(s)['x-smswire-reply-budget'] = 262144),
      /above the default maxReplyBytes/,
    ],
    [
      'x-smswire-xml-tolerate at the spec root',
      (s) => (s['x-smswire-xml-tolerate'] = ['rootless']),
      /belongs on each operation/,
    ],
    [
      'an unknown XML defect',
      (s) => xmlOp(s, ['bom']),
      /send: x-smswire-xml-tolerate lists only unclosed-text, rootless/,
    ],
    [
      'a tolerated defect no example reply shows',
      (s) => xmlOp(s, ['unclosed-text', 'rootless'], '<status>9</status><message>No</message>'),
      /lists unclosed-text, which no example reply shows/,
    ],
    [
      'rootless where every example reply has its root',
      (s) => xmlOp(s, ['rootless']),
      /lists rootless, which no example reply shows/,
    ],
    [
      'x-smswire-xml-tolerate on a JSON reply',
      (s) => (op(s)['x-smswire-xml-tolerate'] = ['rootless']),
      /x-smswire-xml-tolerate needs the xml reply codec/,
    ],
    [
      'a vendor-wide code no operation has an example of',
      (s) => (s['x-smswire-codes'] = { '7': { outcome: 'error', description: 'Rare', reason: 'ambiguous' } }),
      /no operation has an example reply with code 7/,
    ],
    [
      'a catalog code without an example',
      (s) => delete op(s).responses['200'].content['application/json'].examples.no,
      /no example reply starts with code 9/,
    ],
    [
      'an example whose code is not in the catalog',
      (s) => (op(s).responses['200'].content['application/json'].examples.odd = { value: { Status: '7' } }),
      /code 7, which is not in x-smswire-codes/,
    ],
    [
      'a schema keyword the client would not check',
      (s) => (op(s).parameters[0].schema.format = 'email'),
      /schema keyword format is not checked/,
    ],
    [
      'an error code without a reason',
      (s) => delete op(s)['x-smswire-codes']['9'].reason,
      /code 9: reason must be one of auth, balance, number, content, throttled, vendorDown, validation, ambiguous/,
    ],
    ['an unknown reason', (s) => (op(s)['x-smswire-codes']['9'].reason = 'busy'), /code 9: reason must be one of/],
    [
      'a reason on a success',
      (s) => (op(s)['x-smswire-codes']['0'].reason = 'auth'),
      /code 0: a success has no reason or mayExist/,
    ],
    ['mayExist other than true', (s) => (op(s)['x-smswire-codes']['9'].mayExist = 'yes'), /mayExist is true or absent/],
    [
      'a code both safe to resend and leaving a message that may exist',
      (s) => Object.assign(op(s)['x-smswire-codes']['9'], { mayExist: true, retryable: true }),
      /code 9: a code safe to resend \(retryable\) cannot leave a message that may exist/,
    ],
    [
      'a code entry with stray keys (an unquoted comma)',
      (s) => (op(s)['x-smswire-codes']['9']['not yet'] = null),
      /unknown keys not yet/,
    ],
    ['an unknown reply codec', (s) => (op(s)['x-smswire-reply'].codec = 'csv'), /unknown reply codec csv/],
    ['a missing kind', (s) => delete op(s)['x-smswire-kind'], /x-smswire-kind must be read, write or send/],
    // Sends declare where their result keeps the message ID, so the load test checks every one.
    [
      'a send without x-smswire-message-id',
      (s) => (op(s)['x-smswire-kind'] = 'send'),
      /a send needs x-smswire-message-id/,
    ],
    [
      'a message ID the reply schema does not have',
      (s) => Object.assign(op(s), { 'x-smswire-kind': 'send', 'x-smswire-message-id': 'MessageId' }),
      /x-smswire-message-id MessageId: the reply schema has no MessageId there/,
    ],
    [
      'a message ID path through a property that is not a list',
      (s) => Object.assign(op(s), { 'x-smswire-kind': 'send', 'x-smswire-message-id': 'Status[].id' }),
      /x-smswire-message-id Status\[\]\.id: Status is not a list/,
    ],
    [
      'a message ID of none on an operation that is not a send',
      (s) => (op(s)['x-smswire-message-id'] = 'none'),
      /x-smswire-message-id: none is only for sends/,
    ],
    [
      'a message ID in a bare-code reply',
      (s) =>
        Object.assign(op(s), {
          'x-smswire-kind': 'send',
          'x-smswire-message-id': 'id',
          'x-smswire-reply': { codec: 'code' },
        }),
      /a code reply carries no message ID/,
    ],
    [
      'an unknown decode',
      (s) => (op(s).responses['200'].content['application/json'].schema.properties.At['x-smswire-decode'] = 'iso'),
      /unknown x-smswire-decode iso/,
    ],
    [
      'a credential without its option name',
      (s) => delete s.components.securitySchemes.key['x-smswire-credential'],
      /needs x-smswire-credential/,
    ],
    [
      'a client name that is not a PascalCase identifier',
      (s) => (s['x-smswire-client'] = 'sms-leads'),
      /x-smswire-client must be a PascalCase name/,
    ],
    ['a header parameter', (s) => (op(s).parameters[0].in = 'header'), /only query is supported/],
    ['a missing summary', (s) => delete op(s).summary, /missing send: summary/],
    [
      'a parameter type the client does not check',
      (s) => (op(s).parameters[0].schema.type = 'null'),
      /type "null" is not checked/,
    ],
    [
      'unknown x-smswire-reply keys',
      (s) => (op(s)['x-smswire-reply'].statusField = 'x'),
      /unknown x-smswire-reply keys statusField/,
    ],
    [
      'xmlWhen without an XML reply',
      (s) => (op(s)['x-smswire-reply'].xmlWhen = { to: 'xml' }),
      /xmlWhen needs an application\/xml reply/,
    ],
    [
      'a POST body that is not a form',
      (s) =>
        (s.paths['/send'].post = {
          ...postOp(),
          requestBody: { content: { 'application/json': { schema: { type: 'object' } } } },
        }),
      /must be application\/x-www-form-urlencoded/,
    ],
    [
      'POST query parameters',
      (s) =>
        (s.paths['/send'].post = { ...postOp(), parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }] }),
      /takes its parameters in the form body/,
    ],
    [
      'a form field without an example',
      (s) => (s.paths['/send'].post = postOp((body) => delete body.properties.to.example)),
      /every form field needs an example/,
    ],
    [
      'an unknown x-smswire-encode',
      (s) => (s.paths['/send'].post = postOp((body) => (body.properties.to['x-smswire-encode'] = 'base64'))),
      /unknown x-smswire-encode base64/,
    ],
    [
      'JSON text without a contentSchema $ref',
      (s) => (s.paths['/send'].post = postOp((body) => (body.properties.to.contentMediaType = 'application/json'))),
      /contentSchema as a \$ref/,
    ],
    [
      'a body anyOf branch with more than required',
      (s) =>
        (s.paths['/send'].post = postOp(
          (body) => (body.anyOf = [{ required: ['to'], type: 'object' }, { required: ['flag'] }]),
        )),
      /each branch may only be/,
    ],
    [
      'a body anyOf naming an unknown field',
      (s) =>
        (s.paths['/send'].post = postOp((body) => (body.anyOf = [{ required: ['when'] }, { required: ['flag'] }]))),
      /anyOf requires when/,
    ],
    [
      'a body anyOf branch that always holds',
      (s) => (s.paths['/send'].post = postOp((body) => (body.anyOf = [{ required: ['to'] }, { required: ['flag'] }]))),
      /always holds/,
    ],
    [
      'x-smswire-wait naming a parameter that is not whole seconds',
      (s) => (s.paths['/send'].post = { ...postOp(), 'x-smswire-wait': 'day' }),
      /x-smswire-wait must name an integer parameter/,
    ],
    [
      'dependentRequired on an unknown field',
      (s) => (s.paths['/send'].post = postOp((body) => (body.dependentRequired = { to: ['when'] }))),
      /dependentRequired names when/,
    ],
    [
      'additionalProperties other than false',
      (s) =>
        (s.paths['/send'].post = postOp(
          (body) => (body.properties.to = { ...body.properties.to, type: 'object', additionalProperties: true }),
        )),
      /additionalProperties may only be false/,
    ],
    ['a list of types', (s) => (op(s).parameters[0].schema.type = ['string', 'null']), /is not checked/],
    [
      'a pattern that does not compile',
      (s) => (op(s).parameters[0].schema.pattern = '(unclosed'),
      /not a valid \(unicode\) regular expression/,
    ],
    [
      'a catalog code that is not code-shaped',
      (s) => (op(s)['x-smswire-codes']['bad key'] = { outcome: 'error', description: 'Bad key' }),
      /code bad key: a code is a number or a word/,
    ],
    [
      'an x-smswire-secret-reply other than true',
      (s) => (op(s)['x-smswire-secret-reply'] = 'yes'),
      /x-smswire-secret-reply must be true/,
    ],
    [
      'a parameter named like a credential',
      (s) => (op(s).parameters[0].name = 'apikey'),
      /parameter apikey collides with the credential/,
    ],
    [
      'an unknown x-smswire-encode on a query parameter',
      (s) => (op(s).parameters[0]['x-smswire-encode'] = 'ucs2'),
      /unknown x-smswire-encode ucs2 for a query parameter/,
    ],
    [
      'a date encoding on a query parameter',
      (s) => (op(s).parameters[0]['x-smswire-encode'] = 'unix-seconds'),
      /unknown x-smswire-encode unix-seconds for a query parameter/,
    ],
    [
      'x-smswire-encode-when without a text encoding',
      (s) => (op(s).parameters[0]['x-smswire-encode-when'] = { kind: [2] }),
      /x-smswire-encode-when needs a text x-smswire-encode/,
    ],
    [
      'x-smswire-encode-when on a date field',
      (s) =>
        (s.paths['/send'].post = postOp((body) =>
          Object.assign(body.properties.to, {
            'x-smswire-encode': 'unix-seconds',
            'x-smswire-encode-when': { to: ['1'] },
          }),
        )),
      /x-smswire-encode-when needs a text x-smswire-encode/,
    ],
    [
      'x-smswire-encode-when as a list',
      (s) => withUnicode(s, { 'x-smswire-encode-when': ['kind'] }),
      /maps parameter names to non-empty lists of values/,
    ],
    [
      'x-smswire-encode-when with an empty list',
      (s) => withUnicode(s, { 'x-smswire-encode-when': { kind: [] } }),
      /maps parameter names to non-empty lists of values/,
    ],
    [
      'x-smswire-encode-when naming no parameter',
      (s) => withUnicode(s, { 'x-smswire-encode-when': { type: [2] } }),
      /names type, which is not another parameter/,
    ],
    [
      'x-smswire-encode-when naming itself',
      (s) => withUnicode(s, { 'x-smswire-encode-when': { to: ['a'] } }),
      /names to, which is not another parameter/,
    ],
    [
      'x-smswire-encode-when with a value the parameter refuses',
      (s) => withUnicode(s, { 'x-smswire-encode-when': { kind: [2, 3] } }),
      /lists 3, which kind does not accept/,
    ],
    [
      'x-smswire-encode-max-length without ucs2-hex',
      (s) => (op(s).parameters[0]['x-smswire-encode-max-length'] = 10),
      /x-smswire-encode-max-length counts UTF-16 code units and needs x-smswire-encode: ucs2-hex/,
    ],
    [
      'x-smswire-encode-max-length that is not a positive integer',
      (s) => withUnicode(s, { 'x-smswire-encode-max-length': 0 }),
      /must be a positive integer/,
    ],
    [
      'items without type array',
      (s) => (op(s).parameters[0].schema = { items: { type: 'string' } }),
      /items is only checked with type array/,
    ],
    [
      'a body keyword the client would not check',
      (s) => (s.paths['/send'].post = postOp((body) => (body.oneOf = [{ required: ['to'] }]))),
      /request body keyword oneOf is not supported/,
    ],
    [
      'an if/then with else',
      (s) =>
        (s.paths['/send'].post = postOp((body) => Object.assign(body, calendar(), { else: { required: ['to'] } }))),
      /request body keyword else/,
    ],
    [
      'an if without its required',
      (s) =>
        (s.paths['/send'].post = postOp((body) =>
          Object.assign(body, calendar(), { if: { properties: { flag: { const: 1 } } } }),
        )),
      /if.required must be \[flag\]/,
    ],
    [
      'an if on two parameters',
      (s) =>
        (s.paths['/send'].post = postOp((body) =>
          Object.assign(body, calendar(), {
            if: { properties: { flag: { const: 1 }, to: { const: 'x' } }, required: ['flag', 'to'] },
          }),
        )),
      /exactly one parameter/,
    ],
    [
      'an if that is not a const',
      (s) =>
        (s.paths['/send'].post = postOp((body) =>
          Object.assign(body, calendar(), { if: { properties: { flag: { minimum: 1 } }, required: ['flag'] } }),
        )),
      /must be just \{ const/,
    ],
    [
      'a then that does more than require',
      (s) =>
        (s.paths['/send'].post = postOp((body) =>
          Object.assign(body, calendar(), { then: { required: ['day'], maxProperties: 3 } }),
        )),
      /only properties and required/,
    ],
    [
      'a then requiring an unknown field',
      (s) =>
        (s.paths['/send'].post = postOp((body) => Object.assign(body, calendar(), { then: { required: ['when'] } }))),
      /then requires when/,
    ],
    [
      'a then with a property schema',
      (s) =>
        (s.paths['/send'].post = postOp((body) =>
          Object.assign(body, calendar(), { then: { properties: { day: { minLength: 3 } }, required: ['day'] } }),
        )),
      /then.properties may only name/,
    ],
    [
      'a zoned date without x-smswire-time-zone',
      (s) => (s.paths['/send'].post = postOp((body) => (body.properties.to['x-smswire-encode'] = 'yyyy-mm-dd'))),
      /yyyy-mm-dd needs the spec's x-smswire-time-zone/,
    ],
    [
      'msisdn on a number',
      (s) =>
        (s.paths['/send'].post = postOp((body) =>
          Object.assign(body.properties.to, { type: 'integer', minLength: undefined, 'x-smswire-encode': 'msisdn' }),
        )),
      /msisdn is for string fields/,
    ],
    [
      'an encoding inside JSON text other than msisdn',
      (s) => {
        s.components.schemas = {
          Pairs: { type: 'array', items: { type: 'string', 'x-smswire-encode': 'unix-seconds' } },
        };
        s.paths['/send'].post = postOp((body) =>
          Object.assign(body.properties.to, {
            contentMediaType: 'application/json',
            contentSchema: { $ref: '#/components/schemas/Pairs' },
          }),
        );
      },
      /inside JSON text, x-smswire-encode may only be msisdn/,
    ],
    [
      'negative on a codec other than scalar',
      (s) => (op(s)['x-smswire-reply'].negative = 'code'),
      /negative is only for the scalar codec/,
    ],
    [
      'negative other than code',
      (s) => (op(s)['x-smswire-reply'] = { codec: 'scalar', negative: 'value' }),
      /negative may only be code/,
    ],
    [
      'x-smswire-any-name other than true',
      (s) => xmlReplyOp(s, { 'x-smswire-any-name': 'yes' }),
      /x-smswire-any-name may only be true/,
    ],
    [
      'x-smswire-any-name beside an element name',
      (s) => xmlReplyOp(s, { 'x-smswire-any-name': true, name: 'sender' }),
      /has no xml.name/,
    ],
    [
      'x-smswire-any-name in a request body',
      (s) => {
        const post = postOp();
        const schema = {
          xml: { name: 'send' },
          properties: {
            to: {
              type: 'array',
              description: 'Receivers.',
              items: { type: 'string', xml: { 'x-smswire-any-name': true } },
            },
          },
        };
        s.paths['/send'].post = { ...post, requestBody: { content: { 'application/xml': { schema } } } };
      },
      /x-smswire-any-name is for replies/,
    ],
    [
      'an if/then in an XML request body',
      (s) => {
        const schema = {
          xml: { name: 'send' },
          ...calendar(),
          properties: {
            flag: { type: 'integer', description: 'A switch.' },
            day: { type: 'string', description: 'A day.' },
          },
        };
        s.paths['/send'].post = { ...postOp(), requestBody: { content: { 'application/xml': { schema } } } };
      },
      /request body keyword if is not supported/,
    ],
    [
      'a comma-joined list whose string form takes more items than the list form',
      (s) =>
        Object.assign(
          op(s).parameters[0],
          commaList((string) => (string.pattern = '^[0-9]+(,[0-9]+)*$')),
        ),
      /the comma-separated form takes more than the list form's maxItems \(3\)/,
    ],
    [
      'a comma-joined list whose string form takes fewer items than the list form',
      (s) =>
        Object.assign(
          op(s).parameters[0],
          commaList((string) => (string.pattern = '^[0-9]+(,[0-9]+){0,1}$')),
        ),
      /the example's first item, 3 times, should pass both forms/,
    ],
    [
      'a comma-joined form field whose string form takes more items than the list form',
      (s) => {
        // sms365.txt L349: "Mobiles of recipients separated with comma"; the limit is smswire's.
        const array = commaList().schema.anyOf[1];
        const post = postOp(
          (body) =>
            (body.properties.to = {
              description: 'Receivers.',
              example: '9198,9199',
              anyOf: [{ type: 'string', minLength: 1 }, array],
            }),
        );
        post.requestBody.content['application/x-www-form-urlencoded'].encoding = {
          to: { style: 'form', explode: false },
        };
        s.paths['/send'].post = post;
      },
      /the comma-separated form takes more than the list form's maxItems \(3\)/,
    ],
    [
      'a comma-joined query list with an x-smswire-encode',
      (s) => Object.assign(op(s).parameters[0], commaList(), { 'x-smswire-encode': 'ucs2-hex' }),
      /is for a single string, not a comma-joined list/,
    ],
    [
      'a query parameter in a style other than form',
      (s) => Object.assign(op(s).parameters[0], { style: 'pipeDelimited' }),
      /only style form is supported/,
    ],
    // Checked once, when the spec is parsed: a value of the wrong JSON type never reaches a table.
    [
      'a schema keyword with a value of the wrong type',
      (s) => (op(s).parameters[0].schema.minLength = '1'),
      /send\.to\.minLength must be a number/,
    ],
    [
      'x-smswire-text other than true',
      (s) => {
        xmlOp(s);
        op(s).responses['200'].content['application/xml'].schema.properties.message.xml = { 'x-smswire-text': 'yes' };
      },
      /x-smswire-text may only be true/,
    ],
    [
      'x-smswire-reply.statusOptional other than true or false',
      (s) => (op(s)['x-smswire-reply'].statusOptional = 'yes'),
      /x-smswire-reply\.statusOptional must be true or false/,
    ],
    [
      'x-smswire-time-zone that is not a zone name',
      (s) => (s['x-smswire-time-zone'] = 3),
      /x-smswire-time-zone must be a string/,
    ],
  ])('refuses %s', (_, change, message) => {
    expect(() => buildDefinition('acme', spec(change))).toThrow(message);
  });
});

describe('the emitted code', () => {
  /** The fixture with a vendor catalog, a second operation with its own code, and a component reply schema. */
  const built = () => {
    const s = spec((s) => {
      s['x-smswire-codes'] = { '0': { outcome: 'success', description: 'OK' } };
      op(s)['x-smswire-codes'] = { '9': { outcome: 'error', description: 'No', reason: 'number' } };
      const reply = op(s).responses['200'].content['application/json'];
      s.components.schemas = { Reply: reply.schema };
      reply.schema = { $ref: '#/components/schemas/Reply' };
      const read = structuredClone(op(s));
      Object.assign(read, { operationId: 'balance', 'x-smswire-kind': 'read', security: [] });
      delete read['x-smswire-codes'];
      delete read.responses['200'].content['application/json'].examples.no;
      s.paths['/balance'] = { get: read };
    });
    return { s, built: buildDefinition('acme', s) };
  };

  it('writes the vendor catalog once and each operation’s own codes on top of it', () => {
    const source = emitDefinition('acme.yaml', built().built);
    expect(source.match(/const vendorCodes = /g)).toHaveLength(1);
    expect(source).toContain(
      "send: codeTable({ ...vendorCodes, '9': { outcome: 'error', description: 'No', reason: 'number' } })",
    );
    expect(source).toContain('balance: vendorCodes');
    expect(source).toContain('const vendorCodes = codeTable(');
  });

  it('writes every code table without a prototype, so vendor text such as `constructor` finds nothing', async () => {
    const { codeTable } = await import('../packages/core/src/codecs/context.js');
    const table = codeTable({ '9': { outcome: 'error', description: 'No', reason: 'number' } });
    expect(Object.getPrototypeOf(table)).toBeNull();
    expect(Object.keys(table)).toEqual(['9']);
    for (const text of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'])
      expect((table as Record<string, unknown>)[text], text).toBeUndefined();
  });

  it('writes a component schema’s shape once, as a named constant both operations use', () => {
    const source = emitDefinition('acme.yaml', built().built);
    expect(source.match(/const replyShape = /g)).toHaveLength(1);
    expect(source.match(/shape: replyShape/g)).toHaveLength(2);
  });

  it('writes a $ref’d parameter once, and an inline schema several parameters share once, as named constants', () => {
    const { s } = built();
    s.components.parameters = { To: op(s).parameters[0] };
    op(s).parameters = [{ $ref: '#/components/parameters/To' }];
    s.paths['/balance'].get.parameters = [
      { $ref: '#/components/parameters/To' },
      { name: 'from', in: 'query', required: false, schema: { type: 'string', minLength: 1 } },
    ];
    const source = emitDefinition('acme.yaml', buildDefinition('acme', s));
    expect(source.match(/const toParam = /g)).toHaveLength(1);
    expect(source.match(/to: toParam/g)).toHaveLength(2);
    expect(source.match(/const stringMin1Schema = \{ type: 'string', minLength: 1 \}/g)).toHaveLength(1);
    expect(source).toContain("from: { in: 'query', required: false, schema: stringMin1Schema }");
    expect(source.match(/minLength: 1/g)).toHaveLength(1);
  });

  it('requires a credential option in the type only when every operation sends it', () => {
    const { built: b } = built();
    const source = emitClient('acme.yaml', 'Acme', clientShape(b), ['send', 'balance'], new Set(['json']));
    // `balance` has `security: []`, so `apiKey` is optional.
    expect(source).toContain('apiKey?: string | undefined;');
    expect(source).toContain('Needed by `send`.');
    const everywhere = buildDefinition('acme', spec());
    expect(emitClient('acme.yaml', 'Acme', clientShape(everywhere), ['send'], new Set(['json']))).toContain(
      '  apiKey: string;',
    );
  });
});

describe('the printer', () => {
  it('writes object members in the order given: a spread before numeric keys, undefined left out', () => {
    // An object's own order would put '9' first; the catalog's spread must come before the codes.
    expect(object([spread('vendorCodes'), ['9', { outcome: 'error' }], ['x', undefined], new Code('xmlCodec')])).toBe(
      "{ ...vendorCodes, '9': { outcome: 'error' }, xmlCodec }",
    );
    expect(literal({ b: [1, 'two'], 'a-b': null, c: new Code('shared') })).toBe(
      "{ b: [1, 'two'], 'a-b': null, c: shared }",
    );
  });

  it('indents a block’s lines, blank lines and nested blocks included, and leaves out parts given as false', () => {
    const text = lines(
      block('export interface A', ['/**', ' * Doc.', ' */', 'a: string;', '', block('b:', 'c: number;', ';')]),
      false,
      undefined,
      [['x;']],
    );
    expect(text).toBe(
      [
        'export interface A {',
        '  /**',
        '   * Doc.',
        '   */',
        '  a: string;',
        '',
        '  b: {',
        '    c: number;',
        '  };',
        '}',
        'x;',
      ].join('\n'),
    );
  });
});
