/**
 * Hides credentials in free text that came from a vendor (a reply excerpt, a vendor's message,
 * a transport failure's text), in every spelling an echo of a request might use. Text we build
 * ourselves is never scanned: a credential is masked there by its place (docs/ARCHITECTURE.md,
 * "Redaction").
 */
export type Redactor = ((text: string) => string) & {
  /** Also hides a secret learnt later (an OAuth2 access or refresh token). */
  add(secret: string): void;
};

/** What stands where a credential was. */
export const redacted = '[REDACTED]';

/** What errors show instead of a reply that carries a new secret (an issued token or key). */
export const withheldReply = '[withheld: holds a secret]';

/**
 * A credential shorter than this (`e`, `100`) is not looked for inside text, where it would
 * rewrite words, numbers and keys that merely contain it; it is hidden only where it stands as a
 * whole value (`user=e&`, `"user":"e"`, `<user>e</user>`).
 */
export const minScanned = 4;

/** Hex digits in either case: `[eE]9`. */
const hex = (n: number, width = 2) =>
  n
    .toString(16)
    .padStart(width, '0')
    .replace(/[a-f]/g, (d) => `[${d}${d.toUpperCase()}]`);
const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
const utf8 = (s: string) => [...new TextEncoder().encode(s)];
const entities: Record<string, string> = { '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' };
/** `&` may itself be escaped again (`&amp;amp;`), `%` likewise (`%2540`). */
const amp = '&(?:amp;)*';
const percent = (bytes: number[]) => bytes.map((b) => `%(?:25)*${hex(b)}`).join('');

/**
 * Each way one character reaches text: as itself, percent-escaped from UTF-8 or Latin-1 (once or
 * more), as an HTML or XML entity (decimal, hex or named), JSON-escaped, `+` for a space; hex
 * digits in either case.
 */
function spellings(c: string): string {
  const code = c.codePointAt(0)!;
  const forms = [
    literal(c),
    percent(utf8(c)),
    `${amp}#0*${code};`,
    `${amp}#[xX]0*${hex(code, 1)};`,
    c
      .split('')
      .map((unit) => `\\\\u${hex(unit.charCodeAt(0), 4)}`)
      .join(''),
  ];
  if (code < 256) forms.push(percent([code]));
  if (entities[c]) forms.push(`${amp}${entities[c]};`);
  if (c === ' ') forms.push('\\+');
  if ('"\\/'.includes(c)) forms.push(`\\\\${literal(c)}`);
  // Each once: two alternatives that match the same text (an ASCII character's UTF-8 and Latin-1
  // escapes) would make a near miss backtrack through every combination of them.
  return `(?:${[...new Set(forms)].join('|')})`;
}

/** The base64 runs that hold the secret's bytes wherever they fall in a longer encoded text. */
function base64Runs(secret: string): string[] {
  const latin1 = [...secret].every((c) => c.codePointAt(0)! < 256);
  const sources = [utf8(secret), ...(latin1 ? [[...secret].map((c) => c.charCodeAt(0))] : [])];
  return sources.flatMap((bytes) =>
    [0, 1, 2].flatMap((lead) => {
      const run = btoa(String.fromCharCode(...Array<number>(lead).fill(0), ...bytes)).slice(
        Math.ceil((lead * 4) / 3),
        Math.floor(((lead + bytes.length) * 4) / 3),
      );
      return [run, run.replace(/\+/g, '-').replace(/\//g, '_')].map(literal);
    }),
  );
}

function patternOf(secret: string): string {
  const spelled = [...secret].map(spellings).join('');
  if (secret.length < minScanned) return `(?<==|>|[:=]\\s*\\\\?["'])${spelled}(?=$|[&;"'<\\s\\\\])`;
  // Escaping has more variants than can be listed; a long run of letters and digits survives
  // all of them, and is secret enough to hide on its own (an echo cut short).
  return [spelled, ...base64Runs(secret), ...(secret.match(/[A-Za-z0-9]{8,}/g) ?? [])].join('|');
}

export function createRedactor(secrets: readonly string[]): Redactor {
  const known = new Set<string>();
  // Made when first needed (text to redact is rare: an error), not with every client.
  let pattern: RegExp | undefined;
  const add = (secret: string) => {
    if (!secret || known.has(secret)) return;
    known.add(secret);
    pattern = undefined;
  };
  secrets.forEach(add);
  const redact = (text: string) => {
    if (!known.size) return text;
    // Longest first, so a secret that contains another is replaced whole; a mask already there
    // is matched first and kept, so text redacted twice reads the same.
    pattern ??= new RegExp(
      [literal(redacted), ...[...known].sort((a, b) => b.length - a.length).map(patternOf)].join('|'),
      'g',
    );
    return text.replace(pattern, redacted);
  };
  return Object.assign(redact, { add });
}
