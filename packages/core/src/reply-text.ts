/**
 * A reply's charset, read in two steps around the one wait for its body. The charset is the
 * Content-Type's, else an XML declaration's (ASCII in any charset a PHP stack declares there),
 * else UTF-8; these vendors' stacks send ISO-8859-7 or windows-1255. A reply known to be UTF-8
 * before a byte is read (its Content-Type says so, or it is JSON, whose only charset is UTF-8
 * (RFC 8259), and no XML was asked for) is read by fetch as text: bytes and a TextDecoder cost a
 * sequential call about 2 % more (docs/benchmarks.md, "Reply text").
 */
export function declaredCharset(contentType: string | null, askedXml: boolean): Charset {
  const type = contentType ?? '';
  // A vendor sends the same Content-Type every time: its two regexes run once, not per reply.
  if (type === last.type && askedXml === last.askedXml) return last.charset;
  last = { type, askedXml, charset: charsetOf(type, askedXml) };
  return last.charset;
}

/** What the caller needs to know of a reply's charset before reading it. Shared: not to be changed. */
type Charset = Readonly<{ named?: string; utf8: boolean }>;
let last: { type: string; askedXml: boolean; charset: Charset } = {
  type: '',
  askedXml: false,
  charset: { utf8: false },
};

function charsetOf(type: string, askedXml: boolean): Charset {
  const named = /;\s*charset\s*=\s*"?([^";\s]{1,40})/i.exec(type)?.[1]?.toLowerCase();
  return named === undefined
    ? { utf8: !askedXml && /^[^;]*[/+]json\s*(;|$)/i.test(type) }
    : { named, utf8: named === 'utf-8' };
}

/** Bytes in the `named` charset, else the XML declaration's, else UTF-8; `unknown` names the charset when TextDecoder does not know it. */
export function decodeText(bytes: Uint8Array, named: string | undefined): { text: string; unknown?: string } {
  const charset = named ?? xmlDeclared(bytes) ?? 'utf-8';
  const decoder = decoderFor(charset);
  // In an unknown charset the text is fit for an error's excerpt only.
  return decoder ? { text: decoder.decode(bytes) } : { text: utf8.decode(bytes), unknown: charset };
}

/** The encoding an XML declaration names, when the bytes open with one. */
function xmlDeclared(bytes: Uint8Array): string | undefined {
  return opensWithDeclaration(bytes)
    ? /^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*\sencoding\s*=\s*["']([^"']{1,40})/
        .exec(latin1.decode(bytes.subarray(0, 200)))?.[1]
        ?.toLowerCase()
    : undefined;
}

/**
 * Whether the bytes open with `<?` after a BOM and what `\s` matches in Latin-1: only then can the
 * regex above match, so a JSON or pipe reply skips decoding its head on every call.
 */
function opensWithDeclaration(bytes: Uint8Array): boolean {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0xa0 || (bytes[i]! >= 0x09 && bytes[i]! <= 0x0d))) i++;
  return bytes[i] === 0x3c && bytes[i + 1] === 0x3f;
}

const utf8 = new TextDecoder();
const latin1 = new TextDecoder('latin1');
const decoders = new Map([['utf-8', utf8]]);

/** A decoder for a charset label TextDecoder knows (WHATWG Encoding), else undefined. */
function decoderFor(label: string): TextDecoder | undefined {
  let decoder = decoders.get(label);
  if (!decoder) {
    try {
      decoder = new TextDecoder(label);
    } catch {
      return undefined;
    }
    decoders.set(label, decoder);
  }
  return decoder;
}
