import type { ClientShape, CredentialOption } from './client-options.js';
import { header } from './header.js';
import { doc } from './literal.js';
import { block, type Lines, lines } from './print.js';

export function list(names: readonly string[]): string {
  const quoted = names.map((n) => `\`${n}\``);
  return quoted.length <= 1 ? quoted.join('') : `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
}

/** Who needs a credential, in words, from the operations that send it. */
function neededBy(option: CredentialOption, operations: string[]): string {
  const others = operations.filter((id) => !option.usedBy.includes(id));
  const who =
    others.length === 0
      ? 'every operation'
      : option.usedBy.length <= others.length
        ? list(option.usedBy)
        : `every operation but ${list(others)}`;
  const unless = Object.entries(option.unless).map(
    ([id, fields]) => `; \`${id}\` only when the call gives no ${list(fields)}`,
  );
  return `Needed by ${who}${unless.join('')}.`;
}

/** `<Name>Options`, `<Name>Client` and `createClient`: the vendor boilerplate, from the spec. */
export function emitClient(
  specFile: string,
  title: string,
  shape: ClientShape,
  operations: string[],
  codecs: Set<string>,
): string {
  const { name } = shape;
  const options = shape.credentials.flatMap((option) => [
    doc([...option.description.trim().split('\n'), '', `Sent as ${option.sentAs}. ${neededBy(option, operations)}`], 1),
    `${option.name}${option.required ? ': string' : '?: string | undefined'};`,
  ]);
  if (shape.servers) {
    const [first, ...rest] = shape.servers;
    options.push(
      doc(
        [
          'A documented server, by name, for every operation (each moves to its own server of that name):',
          ...shape.servers.map((s) => `- \`'${s.name}'\`${s === first ? ' (default)' : ''}: ${s.description}`),
        ],
        1,
      ),
      `server?: ${[first!, ...rest].map((s) => `'${s.name}'`).join(' | ')} | undefined;`,
    );
  }
  if (shape.baseUrl !== undefined)
    options.push(doc([`Required: the spec's server is a template. ${shape.baseUrl}`], 1), 'baseUrl: string;');
  const names = shape.credentials.map((c) => c.name);
  const members = ['raw: RawClient<paths>;', 'prepare: Preparers<Operations>;'];
  const clientType = shape.revoke
    ? block('Operations &', [
        ...members,
        doc(
          [
            'Revokes the OAuth2 tokens the client holds; the next call fetches a new one. Resolves at once',
            'when the client has no OAuth2 credentials or no token yet.',
          ],
          1,
        ),
        'revokeToken(init?: CallInit): Promise<void>;',
      ])
    : `Operations & { ${members.join(' ')} }`;
  return lines(
    header(specFile),
    `import type { ${[...(shape.revoke ? ['CallInit'] : []), 'ClientOptions', 'Preparers', 'RawClient'].join(', ')} } from '@smswire/core';`,
    `import { createVendorRuntime } from '@smswire/core/internal';`,
    `import { definition } from './definition.js';`,
    `import type { Operations } from './operations.js';`,
    `import type { paths } from './schema.js';`,
    '',
    doc([`The options of \`createClient\`: the common ones and the credentials of the ${title}.`]),
    block(`export interface ${name}Options extends ClientOptions`, options),
    '',
    `export type ${name}Client = ${clientType};`,
    '',
    doc([
      `A client of the ${title}: one method per operation, \`prepare.<operation>\` to see its request`,
      'without sending it, and `raw` for anything else.',
      'Each operation checks the credentials it sends when it is called; nothing is sent without them.',
    ]),
    block(`export function createClient(options: ${name}Options): ${name}Client`, [
      `const { ${names.length ? `${names.join(', ')}, ` : ''}...rest } = options;`,
      emitRuntime(names, shape.revoke),
      emitMethods(operations, shape.revoke),
    ]),
    '',
    `export { definition, errorCatalog } from './definition.js';`,
    `export type * from './operations.js';`,
    `export type { paths } from './schema.js';`,
    '// Every error class, so users catch them without importing core.',
    `export * from '@smswire/core/errors';`,
    `export type { ${coreTypes(codecs).join(', ')} } from '@smswire/core';`,
    '',
  );
}

/** The client's runtime: the operations' records, made once, and the one function that calls them. */
function emitRuntime(credentials: string[], revoke: boolean): string {
  const members = ['raw', 'prepare', 'operations: op', 'call', ...(revoke ? ['revokeToken'] : [])];
  return `const { ${members.join(', ')} } = createVendorRuntime<Operations, paths>(definition, { ...rest, credentials: { ${credentials.join(', ')} } });`;
}

/**
 * A named method per operation, each one line into the runtime: the operation's name is on the
 * stack of every call, and a debugger steps into it. Not async: a layer of async functions after
 * the round trip costs latency (docs/benchmarks.md, "Cold").
 */
function emitMethods(operations: string[], revoke: boolean): string {
  const methods: Lines[] = operations.map((id) =>
    block(`${id}(params, init)`, `return call(op.${id}, params, init);`, ','),
  );
  if (revoke)
    methods.push(
      '// Without OAuth2 credentials there is no token to revoke.',
      block('revokeToken(init)', 'return revokeToken ? revokeToken(init) : Promise.resolve();', ','),
    );
  return block('return', ['raw,', 'prepare,', ...methods], ';');
}

/** The core types a user of the operations meets. */
function coreTypes(codecs: Set<string>): string[] {
  const types = ['CallInit', 'ClientOptions', 'PreparedRequest', 'PrepareInit'];
  if (codecs.has('pipe')) types.push('Accepted', 'PipeResult');
  if (codecs.has('code')) types.push('CodeResult');
  return types.sort();
}
