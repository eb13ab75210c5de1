import type { OperationDefinition, ParamDefinition, ParamSchema } from '../../packages/core/src/vendor-definition.js';
import { Code, literal } from './print.js';

/** A named constant of the definition: its declaration and the core type it satisfies. */
export interface SharedConstant {
  type: 'ParamSchema' | 'ParamDefinition';
  declaration: string;
}

/** A parameter name as a camelCase identifier (`add_unsubscribe` → `addUnsubscribe`). */
const identifier = (name: string) =>
  name
    .replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? '').toUpperCase())
    .replace(/^[^a-z]/, (c) => c.toLowerCase());

/**
 * What a schema is, for a constant's name when parameters of several names share it:
 * `stringMin1`, `integerFrom60To86400`, `stringJsonOrXml`, `stringPattern`.
 */
function described(schema: ParamSchema): string {
  const parts = [schema.anyOf ? 'anyOf' : (schema.type ?? 'value')];
  if (schema.enum)
    parts.push(
      schema.enum.length <= 3 && schema.enum.every((v) => /^[A-Za-z0-9]{1,8}$/.test(String(v)))
        ? schema.enum.map((v) => String(v).charAt(0).toUpperCase() + String(v).slice(1)).join('Or')
        : 'Enum',
    );
  if (schema.minLength !== undefined) parts.push(`Min${schema.minLength}`);
  if (schema.maxLength !== undefined) parts.push(`Max${schema.maxLength}`);
  if (schema.minimum !== undefined) parts.push(`From${schema.minimum}`);
  if (schema.maximum !== undefined) parts.push(`To${schema.maximum}`);
  if (schema.pattern !== undefined) parts.push('Pattern');
  if (schema.encode) parts.push('Msisdn');
  return parts.join('');
}

interface Use<T> {
  value: T;
  json: string;
  names: Set<string>;
  count: number;
}

function tally<T>(values: Iterable<[string, T]>): Map<string, Use<T>> {
  const uses = new Map<string, Use<T>>();
  for (const [name, value] of values) {
    const json = JSON.stringify(value);
    const use = uses.get(json) ?? { value, json, names: new Set<string>(), count: 0 };
    use.names.add(name);
    use.count++;
    uses.set(json, use);
  }
  return uses;
}

const pascal = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * Parameters and parameter schemas written out the same more than once (a `$ref`'d parameter,
 * an inline schema repeated) become one named constant each. A constant is named for the
 * parameter when every use has one name (`typeParam`, `timingSchema`), otherwise for what it
 * is (`optionalBooleanParam`, `stringMin1Schema`). Returns the constants, in declaration
 * order, and each operation's params table referring to them.
 */
export function sharedParams(operations: Readonly<Record<string, OperationDefinition>>): {
  constants: SharedConstant[];
  params: Record<string, Record<string, ParamDefinition | Code>>;
} {
  const all = Object.values(operations).flatMap((op) => Object.entries(op.params));
  const taken = new Set<string>();
  const unique = (base: string) => {
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}${i}`;
    taken.add(name);
    return name;
  };

  const paramUses = [...tally(all).values()].filter((use) => use.count > 1);
  const paramJson = new Set(paramUses.map((use) => use.json));
  // A schema counts once inside a shared parameter, once per use elsewhere.
  const schemaSources: [string, ParamSchema][] = [
    ...all
      .filter(([, p]) => !paramJson.has(JSON.stringify(p)))
      .map(([name, p]): [string, ParamSchema] => [name, p.schema]),
    ...paramUses.map((use): [string, ParamSchema] => [[...use.names][0]!, use.value.schema]),
  ];
  const schemaUses = [...tally(schemaSources).values()].filter((use) => use.count > 1);

  const constants: SharedConstant[] = [];
  const schemaNames = new Map<string, string>();
  for (const use of schemaUses) {
    const name = unique(`${use.names.size === 1 ? identifier([...use.names][0]!) : described(use.value)}Schema`);
    schemaNames.set(use.json, name);
    constants.push({
      type: 'ParamSchema',
      declaration: `const ${name} = ${literal(use.value)} as const satisfies ParamSchema;`,
    });
  }
  const withSchema = (param: ParamDefinition) => {
    const shared = schemaNames.get(JSON.stringify(param.schema));
    return shared ? { ...param, schema: new Code(shared) } : param;
  };
  const paramNames = new Map<string, string>();
  for (const use of paramUses) {
    const presence = use.value.required ? 'required' : 'optional';
    const [only] = use.names;
    const name = unique(
      use.names.size === 1 && !taken.has(`${identifier(only!)}Param`)
        ? `${identifier(only!)}Param`
        : `${presence}${pascal(use.names.size === 1 ? identifier(only!) : described(use.value.schema))}Param`,
    );
    paramNames.set(use.json, name);
    constants.push({
      type: 'ParamDefinition',
      declaration: `const ${name} = ${literal(withSchema(use.value))} as const satisfies ParamDefinition;`,
    });
  }

  const params = Object.fromEntries(
    Object.entries(operations).map(([id, op]) => [
      id,
      Object.fromEntries(
        Object.entries(op.params).map(([name, param]) => {
          const shared = paramNames.get(JSON.stringify(param));
          return [name, shared ? new Code(shared) : (withSchema(param) as ParamDefinition)];
        }),
      ),
    ]),
  );
  return { constants, params };
}
