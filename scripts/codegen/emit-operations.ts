import type { OperationInfo } from './operation.js';
import { header } from './header.js';
import { comment, doc, pascal } from './literal.js';
import { block, key, type Lines, lines, quote } from './print.js';

/** The typed surface: params and result types and one documented method per operation. */
export function emitOperations(specFile: string, title: string, operations: OperationInfo[]): string {
  const codecs = new Set(operations.map((o) => o.definition.reply.codec));
  const bodyTypes = [...new Set(operations.flatMap((o) => (o.bodyType ? [o.bodyType] : [])))];
  const usesQuery = operations.some((o) => o.hasParams && !o.bodyType);
  const usesReply = operations.some((o) => o.definition.reply.codec === 'json' || o.definition.reply.codec === 'xml');
  const coreTypes = [
    'CallInit',
    ...(codecs.has('pipe') ? ['PipeResult'] : []),
    ...(codecs.has('code') ? ['CodeResult'] : []),
  ];
  const usesComponents = operations.some((o) => o.overrides.some((x) => 'component' in x.type));
  const types: Lines[] = [];
  const methods: Lines[] = [];
  for (const op of operations) {
    const name = pascal(op.id);
    const { definition: def } = op;
    types.push(
      `export type ${name}Params = ${paramsType(op)};`,
      `export type ${name}Result = ${resultType(op)};`,
      Object.keys(op.definition.codes).length > 0 &&
        `export type ${name}Code = keyof (typeof errorCatalog)[${quote(op.id)}];`,
      '',
    );
    const errorCodes = Object.entries(def.codes)
      .filter(([, c]) => c.outcome === 'error')
      .map(([code]) => code);
    const text = [
      op.summary,
      ...(op.description ? ['', ...op.description.trim().split('\n')] : []),
      '',
      // A `#command` path is the spec's way to give one URL several operations; it is never sent.
      `\`${def.method.toUpperCase()} ${def.path.replace(/#.*/, '')}\`${def.xml ? ` with \`<${def.xml.root}>\`` : ''} · ${def.kind === 'read' ? 'read: retried on transient failures' : 'write: never retried once it may have reached the vendor'}.`,
      ...(errorCodes.length ? [`@throws {VendorError} for codes ${errorCodes.join(', ')}`] : []),
    ];
    methods.push(
      doc(text, 1),
      // Arguments may be left out when none is required.
      `${op.id}(params${Object.values(def.params).some((p) => p.required) ? '' : '?'}: ${name}Params, init?: CallInit): Promise<${name}Result>;`,
    );
  }
  return lines(
    header(specFile),
    `import type { ${coreTypes.join(', ')} } from '@smswire/core';`,
    operations.some((o) => Object.keys(o.definition.codes).length) &&
      `import type { errorCatalog } from './definition.js';`,
    `import type { ${usesComponents ? 'components, ' : ''}operations } from './schema.js';`,
    '',
    usesQuery && [
      '/** The query parameters of operation `K`, as the spec types them on the wire. */',
      "type Query<K extends keyof operations> = operations[K]['parameters']['query'];",
    ],
    bodyTypes.length > 0 && [
      '/** The request body of operation `K`, as the spec types it on the wire. */',
      bodyTypes.length === 1
        ? `type Body<K extends keyof operations> = NonNullable<operations[K]['requestBody']>['content'][${quote(bodyTypes[0]!)}];`
        : "type Body<K extends keyof operations> = NonNullable<operations[K]['requestBody']>['content'][keyof NonNullable<operations[K]['requestBody']>['content']];",
    ],
    usesReply && [
      '/** The success reply of operation `K` in media type `M`. */',
      "type Reply<K extends keyof operations, M extends keyof operations[K]['responses'][200]['content']> = operations[K]['responses'][200]['content'][M];",
    ],
    '',
    types,
    `/** Every operation of the ${comment(title)}. */`,
    block('export interface Operations', methods),
    '',
  );
}

/** The spec's parameter type, less what the client fills in, with Dates where it takes them. */
function paramsType(op: OperationInfo): string {
  if (!op.hasParams) return 'Record<string, never>';
  const base = op.bodyType ? `Body<${quote(op.id)}>` : `Query<${quote(op.id)}>`;
  const omitted = [...op.injected, ...op.overrides.map((o) => o.name)];
  if (omitted.length === 0) return base;
  const omit = `Omit<${base}, ${omitted.map(quote).join(' | ')}>`;
  if (op.overrides.length === 0) return omit;
  const typed = op.overrides.map((o) => {
    const type =
      'component' in o.type ? `components['schemas'][${quote(o.type.component)}]` : `${base}[${quote(o.name)}] | Date`;
    return `${key(o.name)}${o.required ? '' : '?'}: ${type}`;
  });
  return `${omit} & { ${typed.join('; ')} }`;
}

function resultType(op: OperationInfo): string {
  switch (op.definition.reply.codec) {
    case 'pipe':
      return 'PipeResult';
    case 'scalar':
      return 'number';
    case 'code':
      return 'CodeResult';
    case 'xml':
      return `Reply<${quote(op.id)}, 'application/xml'>`;
    case 'json': {
      const body = `Reply<${quote(op.id)}, ${quote(op.mediaType)}>`;
      if (op.decoded.length === 0) return body;
      const omitted = op.decoded.map((d) => quote(d.field)).join(' | ');
      // Optional whatever the schema says: the codec drops an empty value rather than return ''.
      const fields = op.decoded.map((d) => `${key(d.field)}?: Date`).join('; ');
      return `Omit<${body}, ${omitted}> & { ${fields} }`;
    }
  }
}
