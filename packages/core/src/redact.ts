/** Replaces every credential, in every spelling a URL or form body might use, with `[REDACTED]`. */
export type Redactor = ((text: string) => string) & {
  /** Also hides a secret learnt later (an OAuth2 access or refresh token). */
  add(secret: string): void;
};

/** What errors show instead of a reply that carries a new secret (an issued token or key). */
export const withheldReply = '[withheld: holds a secret]';

export function createRedactor(secrets: readonly string[]): Redactor {
  const forms = new Set<string>();
  let ordered: string[] = [];
  const add = (secret: string) => {
    if (!secret) return;
    const spellings = [
      secret,
      encodeURIComponent(secret),
      new URLSearchParams({ s: secret }).toString().slice(2),
      encodeURI(secret),
      // What the URL parser makes of our query on the wire (it also escapes `'`).
      new URL(`http://x/?s=${encodeURIComponent(secret)}`).search.slice(3),
    ];
    for (const spelling of spellings) {
      forms.add(spelling);
      // The same text echoed back inside JSON or HTML.
      forms.add(JSON.stringify(spelling).slice(1, -1));
      forms.add(spelling.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`));
      forms.add(
        spelling.replace(
          /[&<>"']/g,
          (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
        ),
      );
    }
    // Escaping has more variants than can be listed; a long run of letters and digits survives
    // all of them, and is secret enough to hide on its own.
    for (const run of secret.match(/[A-Za-z0-9]{8,}/g) ?? []) forms.add(run);
    // Longest first, so a secret that contains another is replaced whole.
    ordered = [...forms].sort((a, b) => b.length - a.length);
  };
  secrets.forEach(add);
  const redact = (text: string) => {
    let out = text;
    for (const form of ordered) out = out.split(form).join('[REDACTED]');
    return out;
  };
  return Object.assign(redact, { add });
}
