/**
 * The generator's printer: source is built from lines, blocks and literals, never by editing
 * generated text afterwards. Biome lays the result out (format.ts); what the printer owns is
 * that each piece is whole where it is written.
 */

/** Source text placed as it is: a reference to a constant, a shorthand property, a spread. */
export class Code {
  constructor(readonly text: string) {}
}

/** A spread member of an object literal (`...vendorCodes`). */
export const spread = (name: string) => new Code(`...${name}`);

/** Lines of source: a line, nested lines, or nothing (`false`/`undefined`, for a part left out). */
export type Lines = string | false | undefined | readonly Lines[];

/** The lines, flattened, one per row; parts left out leave no row. */
export function lines(...parts: Lines[]): string {
  const out: string[] = [];
  const add = (part: Lines) => {
    if (part === false || part === undefined) return;
    if (typeof part === 'string') out.push(part);
    else for (const inner of part) add(inner);
  };
  for (const part of parts) add(part);
  return out.join('\n');
}

/** `head {`, the body one level in, `}` (with `tail` after it: `;`, `,`). */
export function block(head: string, body: Lines, tail = '', indent = '  '): string {
  const inner = lines(body)
    .split('\n')
    .map((line) => (line ? indent + line : line));
  return lines(`${head} {`, body === false || body === undefined ? [] : inner, `}${tail}`);
}

/** One member of an object literal: `key: value` (a JSON-like value, or Code), or Code as it is. */
export type Member = readonly [key: string, value: unknown] | Code;

const identifier = /^[A-Za-z_$][\w$]*$/;

/** A property key as TypeScript writes it: bare when it can be, quoted otherwise. */
export function key(name: string): string {
  // Numeric keys stay quoted: `keyof` of `{ 8: … }` is the number 8, and codes are strings.
  return identifier.test(name) ? name : quote(name);
}

export function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/** An object literal of members in the order given (an object's own order puts numeric keys first). */
export function object(members: readonly Member[], substitute?: Substitute): string {
  const written = members.flatMap((member) =>
    member instanceof Code
      ? [member.text]
      : member[1] === undefined
        ? []
        : [`${key(member[0])}: ${literal(member[1], substitute)}`],
  );
  return `{ ${written.join(', ')} }`;
}

/** Replaces an object of a literal by source text (a named constant), or leaves it (undefined). */
export type Substitute = (value: object) => Code | undefined;

/**
 * A JSON-like value as a TypeScript literal. `substitute` may replace any object by source text
 * (a named constant); the formatter lays the result out.
 */
export function literal(value: unknown, substitute?: Substitute): string {
  if (value instanceof Code) return value.text;
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? quote(value) : JSON.stringify(value);
  const replaced = substitute?.(value);
  if (replaced) return replaced.text;
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, substitute)).join(', ')}]`;
  return object(Object.entries(value), substitute);
}
