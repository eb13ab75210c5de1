import type { VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import { adapterName } from '../codegen/vendor-table.js';
import type { Spec } from '../lib/vendors.js';

/**
 * Names a send operation's parameters are recognised by: the number, the text and the sender.
 * The existing specs use each of these (`toUser`, `messageContent`, `callerID`, `source`…).
 */
const roles = {
  to: /^(to|toUser|destinations?|phone|mobile|msisdn|numbers?|recipients?)$/i,
  text: /^(text|message|messageContent|body|content|msg)$/i,
  from: /^(from|sender|senderId|source|callerID|originator)$/i,
} as const;
type Role = keyof typeof roles;

/** A send operation of the spec whose parameters are all recognised: which one carries what. */
export interface SendMapping {
  operation: string;
  fields: Record<Role, string>;
  /** The number parameter is a list: the message's number is sent as a list of one. */
  toList: boolean;
  /** The sender is required: a message without one sends `''`, which the vendor's client refuses clearly. */
  fromRequired: boolean;
  /** Where the reply names the message ID (`x-smswire-message-id`), if it does. */
  messageId: string | undefined;
}

/** The first `x-smswire-kind: send` operation whose number, text and sender (and nothing else required) are recognised. */
export function sendMapping(spec: Spec, definition: VendorDefinition): SendMapping | undefined {
  for (const item of Object.values<Spec>(spec.paths ?? {})) {
    for (const op of [item.get, item.post]) {
      if (op?.['x-smswire-kind'] !== 'send') continue;
      const params = definition.operations[op.operationId]?.params ?? {};
      const found: Partial<Record<Role, string>> = {};
      for (const name of Object.keys(params)) {
        const role = (Object.keys(roles) as Role[]).find((r) => roles[r].test(name) && found[r] === undefined);
        if (role) found[role] = name;
      }
      const known = new Set(Object.values(found));
      const unmapped = Object.entries(params).some(([name, p]) => p.required && !known.has(name));
      if (!found.to || !found.text || !found.from || unmapped) continue;
      return {
        operation: op.operationId,
        fields: found as Record<Role, string>,
        toList: params[found.to]!.schema.type === 'array',
        fromRequired: params[found.from]!.required,
        // `none`: the spec says the reply names no message ID.
        messageId: op['x-smswire-message-id'] === 'none' ? undefined : op['x-smswire-message-id'],
      };
    }
  }
  return undefined;
}

/** `accepted[].messageId` → `reply.accepted?.[0]?.messageId`. */
const replyPath = (path: string) =>
  `reply${path
    .split('.')
    .map((part) => (part.endsWith('[]') ? `?.${part.slice(0, -2)}?.[0]` : `?.${part}`))
    .join('')}`;

/**
 * `packages/sms/src/<id>.ts` for a new vendor: a send mapped onto the spec's send operation when
 * its parameters are recognised, and every other neutral operation left out, so `createSms`
 * answers it with an `UnsupportedError` (the capabilities say `false`). When no send operation is
 * recognised, `send` itself throws an `UnsupportedError` saying why.
 */
export function adapterSource(id: string, title: string, spec: Spec, definition: VendorDefinition): string {
  const name = adapterName(id);
  const type = `${name.charAt(0).toUpperCase()}${name.slice(1)}`;
  const mapping = sendMapping(spec, definition);
  const capabilities = (messageId: boolean) =>
    `{ schedule: false, flash: false, status: false, balance: false, reports: false, pollReports: false, messageId: ${messageId} }`;
  const head = [
    `import { ${mapping ? 'createClient, ' : ''}errorCatalog, type ${type}Options } from '@smswire/${id}';`,
    mapping
      ? "import type { Adapter, AdapterOptions, OutgoingMessage, SendFields } from './adapter.js';"
      : "import type { Adapter, AdapterOptions, SendFields } from './adapter.js';",
    mapping ? "import { wireNumber } from './numbers.js';" : "import { UnsupportedError } from './errors.js';",
    '',
    `export interface ${type}AdapterOptions extends ${type}Options, AdapterOptions {}`,
    '',
  ];
  if (!mapping) {
    return [
      ...head,
      '/** The spec names no recognisable send operation: no request field carries the sender or the text. */',
      "export const sendFields: SendFields = { from: '', text: '' };",
      '',
      '/**',
      ` * ${title}. Its spec (specs/${id}.yaml) has no \`x-smswire-kind: send\` operation whose number,`,
      ' * text and sender parameters `pnpm new-vendor` recognised, so this adapter sends nothing: `send`',
      ' * throws an `UnsupportedError`, and status, balance and reports are not offered.',
      ' */',
      `export function ${name}(_options: ${type}AdapterOptions): Adapter {`,
      '  return {',
      `    vendor: '${id}',`,
      '    codes: errorCatalog,',
      `    capabilities: ${capabilities(false)},`,
      '    async send() {',
      '      throw new UnsupportedError(',
      `        '${id}',`,
      "        'send',",
      `        'its spec has no send operation whose number, text and sender parameters the adapter maps',`,
      '      );',
      '    },',
      '  };',
      '}',
      '',
    ].join('\n');
  }
  const { operation, fields, toList, fromRequired, messageId } = mapping;
  const number = toList ? `[wireNumber('${id}', message.to)]` : `wireNumber('${id}', message.to)`;
  const sender = fromRequired
    ? `${fields.from}: message.from ?? from ?? ''`
    : `...(sender === undefined ? {} : { ${fields.from === 'sender' ? 'sender' : `${fields.from}: sender`} })`;
  return [
    ...head,
    "/** The request fields that carry a message's sender and text. */",
    `export const sendFields: SendFields = { from: '${fields.from}', text: '${fields.text}' };`,
    '',
    '/**',
    ` * ${title} through \`${operation}\`, the number in international digits without \`+\`. The`,
    ' * text goes as it is: no encoding flag, scheduling or flash SMS is mapped, and status, balance',
    ' * and reports are not offered, so `createSms` answers them with an `UnsupportedError`.',
    ' */',
    `export function ${name}(options: ${type}AdapterOptions): Adapter {`,
    '  const { from, ...clientOptions } = options;',
    '  const client = createClient(clientOptions);',
    '  const params = (message: OutgoingMessage) => {',
    ...(fromRequired ? [] : ['    const sender = message.from ?? from;']),
    `    return { ${fields.to}: ${number}, ${fields.text}: message.text, ${sender} };`,
    '  };',
    '  return {',
    `    vendor: '${id}',`,
    '    codes: errorCatalog,',
    `    capabilities: ${capabilities(messageId !== undefined)},`,
    '    async send(message, init) {',
    messageId
      ? [
          `      const reply = await client.${operation}(params(message), init);`,
          `      const messageId = ${replyPath(messageId)};`,
          "      return { messageId: messageId === undefined || messageId === null || messageId === '' ? undefined : String(messageId) };",
        ].join('\n')
      : [`      await client.${operation}(params(message), init);`, '      return {};'].join('\n'),
    '    },',
    '    prepare: async (message, init) => ({',
    `      operation: '${operation}',`,
    `      request: await client.prepare.${operation}(params(message), init),`,
    '    }),',
    '  };',
    '}',
    '',
  ].join('\n');
}
