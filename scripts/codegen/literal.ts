// The literal printer lives in print.ts; the docs build's code samples import it from here too.
export { Code, key, literal, quote } from './print.js';

export const pascal = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);
export const camel = (id: string) => id.charAt(0).toLowerCase() + id.slice(1);
/** Text safe inside a `/** … *\/` comment. */
export const comment = (text: string) => text.replace(/\*\//g, '*\\/');

/**
 * A JSDoc block for `level` blocks in (two spaces each), long lines wrapped to fit there (the
 * formatter leaves comments alone); `block` indents it.
 */
export function doc(lines: string[], level = 0): string {
  const width = 100 - 2 * level;
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
  return ['/**', ...wrapped.map((l) => ` *${l ? ` ${comment(l)}` : ''}`), ' */'].join('\n');
}
