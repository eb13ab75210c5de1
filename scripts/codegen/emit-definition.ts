import type { XmlShape } from '../../packages/core/src/vendor-definition.js';
import type { BuiltVendor } from './build-definition.js';
import { dateEncodings } from '../../packages/core/src/dates.js';
import { header } from './header.js';
import { camel } from './literal.js';
import { Code, lines, literal, type Member, object, spread } from './print.js';
import { sharedParams } from './shared-params.js';
import { shapeComponent } from './shapes.js';

const shapeKeys = new Set(['type', 'props', 'items', 'item']);
const isShape = (value: object): value is XmlShape =>
  'type' in value && Object.keys(value).every((k) => shapeKeys.has(k));

/**
 * Runtime tables: the vendor's code catalog once, each operation's on top of it, shared
 * parameters and parameter schemas once each, the shapes of `components/schemas` once each,
 * and the operations core interprets.
 */
export function emitDefinition(specFile: string, built: BuiltVendor): string {
  const { definition, operations: infos, vendorCodes } = built;
  const ops = Object.values(definition.operations);
  const speaksXml = ops.some((op) => op.xml || op.reply.codec === 'xml' || (op.reply.codec === 'json' && op.reply.xml));
  const hasVendorCodes = Object.keys(vendorCodes).length > 0;
  // The parts of core a call does not run, each from its own entry: the definition hands in
  // those its tables need (so a client loads nothing for other vendors), and `client.raw` and
  // `client.prepare`.
  const parts = [
    ...(speaksXml ? [{ name: 'xmlCodec', entry: 'xml' }] : []),
    ...(['json', 'code', 'pipe', 'scalar'] as const)
      .filter((codec) => ops.some((op) => op.reply.codec === codec))
      .map((codec) => ({ name: `${codec}Codec`, entry: codec })),
    ...(ops.some((op) => Object.values(op.params).some((p) => p.encode !== undefined && dateEncodings.has(p.encode)))
      ? [{ name: 'dates', entry: 'dates' }]
      : []),
    ...(ops.some((op) => op.oauth !== undefined) ? [{ name: 'oauth', entry: 'oauth' }] : []),
    { name: 'raw', entry: 'raw' },
    { name: 'prepare', entry: 'prepare' },
  ];

  // Each component's shape becomes one constant, written before the first one that uses it.
  const constants: string[] = [];
  const names = new Map<string, { name: string; json: string }>();
  const named = (shape: XmlShape): Code | undefined => {
    const component = shapeComponent(shape);
    if (component === undefined) return undefined;
    const json = JSON.stringify(shape);
    const known = names.get(component);
    if (known && known.json === json) return new Code(known.name);
    if (known) return undefined;
    const name = `${camel(component.replace(/[^\w$]/g, '_'))}Shape`;
    // Nested components first, so each constant is declared before it is used.
    const body = literal(shape, (v) => (v !== shape && isShape(v) ? named(v) : undefined));
    constants.push(`const ${name} = ${body} as const satisfies XmlShape;`);
    names.set(component, { name, json });
    return new Code(name);
  };
  const substitute = (value: object) => (isShape(value) ? named(value) : undefined);

  // Each table is looked up by the vendor's text, so none has a prototype (`codeTable`).
  const catalog = infos.map((info): [string, Code] => {
    const own = hasVendorCodes ? info.ownCodes : info.definition.codes;
    if (hasVendorCodes && Object.keys(own).length === 0) return [info.id, new Code('vendorCodes')];
    const table = hasVendorCodes ? object([spread('vendorCodes'), ...Object.entries(own)]) : literal(own);
    return [info.id, new Code(`codeTable(${table})`)];
  });
  const shared = sharedParams(definition.operations);
  // Writing the operations collects the shape constants, which are declared before them.
  const operations = Object.entries(definition.operations).map(([id, op]): [string, Code] => {
    const { codes: _codes, ...table } = op;
    return [
      id,
      new Code(literal({ ...table, params: shared.params[id], codes: new Code(`errorCatalog.${id}`) }, substitute)),
    ];
  });
  const vendorTable: Member[] = [
    ['vendor', definition.vendor],
    ['servers', definition.servers],
    ['serverNames', definition.serverNames],
    ['credentials', definition.credentials],
    ...parts.map((part) => new Code(part.name)),
    ['operations', new Code(object(operations))],
  ];
  const usesShapes = constants.length > 0;
  const coreTypes = [
    ...(shared.constants.some((c) => c.type === 'ParamDefinition') ? ['ParamDefinition'] : []),
    ...(shared.constants.some((c) => c.type === 'ParamSchema') ? ['ParamSchema'] : []),
    'VendorDefinition',
    ...(usesShapes ? ['XmlShape'] : []),
  ];
  return lines(
    header(specFile),
    `import { codeTable, type ${coreTypes.join(', type ')} } from '@smswire/core/internal';`,
    ...parts.map((part) => `import { ${part.name} } from '@smswire/core/${part.entry}';`),
    '',
    hasVendorCodes && [
      "/** The vendor's catalog: every code it documents, its outcome and meaning, whether a retry is safe, and what `@smswire/sms` makes of it (`reason`, `mayExist`). */",
      `const vendorCodes = codeTable(${literal(vendorCodes)});`,
      '',
    ],
    hasVendorCodes
      ? "/** The codes each operation knows: the vendor's, and its own on top. */"
      : '/** Every code the vendor documents, per operation: outcome, meaning, whether a retry is safe, and what `@smswire/sms` makes of it (`reason`, `mayExist`). */',
    `export const errorCatalog = ${object(catalog)} as const;`,
    '',
    shared.constants.length > 0 && [
      '/** Parameters and parameter schemas that several operations share. */',
      shared.constants.map((c) => c.declaration).join('\n\n'),
      '',
    ],
    constants.length > 0 && [constants.join('\n\n'), ''],
    `export const definition = ${object(vendorTable)} as const satisfies VendorDefinition;`,
    '',
  );
}
