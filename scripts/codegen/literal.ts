/** Source text placed as it is inside a literal: a reference to a constant, a spread. */
export class Code {
  constructor(readonly text: string) {}
}

const identifier = /^[A-Za-z_$][\w$]*$/;

/** A property key as TypeScript writes it: bare when it can be, quoted otherwise. */
export function key(name: string): string {
  // Numeric keys stay quoted: `keyof` of `{ 8: … }` is the number 8, and codes are strings.
  return identifier.test(name) ? name : quote(name);
}

export function quote(text: string): string {
  return `'${JSON.stringify(text).slice(1, -1).replace(/\\"/g, '"').replace(/'/g, "\\'")}'`;
}

/**
 * A JSON-like value as a TypeScript literal. `substitute` may replace any object by source text
 * (a named constant); the formatter lays the result out.
 */
export function literal(value: unknown, substitute?: (value: object) => Code | undefined): string {
  if (value instanceof Code) return value.text;
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object')
    return typeof value === 'string' ? quote(value) : JSON.stringify(value);
  const replaced = substitute?.(value);
  if (replaced) return replaced.text;
  if (Array.isArray(value)) return `[${value.map((item) => literal(item, substitute)).join(', ')}]`;
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  return `{ ${entries.map(([k, v]) => (v instanceof Code && k.startsWith('...') ? v.text : `${key(k)}: ${literal(v, substitute)}`)).join(', ')} }`;
}

export const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);
export const camel = (id: string) => id.charAt(0).toLowerCase() + id.slice(1);
/** Text safe inside a `/** … *\/` comment. */
export const comment = (text: string) => text.replace(/\*\//g, '*\\/');

/** A JSDoc block at the given indent, long lines wrapped (the formatter leaves comments alone). */
export function doc(lines: string[], indent = ''): string {
  const width = 100 - indent.length;
  const wrapped = lines.flatMap((line) => {
    const out: string[] = [];
    let rest = line;
    while (rest.length > width && rest.lastIndexOf(' ', width) > 0) {
      const at = rest.lastIndexOf(' ', width);
      out.push(rest.slice(0, at));
      rest = rest.slice(at + 1);
    }
    return [...out, rest];
  });
  return `${indent}/**\n${wrapped.map((l) => `${indent} *${l ? ` ${comment(l)}` : ''}`).join('\n')}\n${indent} */`;
}
