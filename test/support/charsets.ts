/**
 * Text in a single-byte charset such as ISO-8859-7 or windows-1255, as a PHP stack sends it
 * (TextEncoder writes only UTF-8). The table comes from decoding each byte once.
 */
export function encodeSingleByte(text: string, charset: string): Buffer {
  const decoder = new TextDecoder(charset);
  const bytes = new Map<string, number>();
  for (let byte = 255; byte >= 0; byte--) bytes.set(decoder.decode(Uint8Array.of(byte)), byte);
  return Buffer.from(
    [...text].map((char) => {
      const byte = bytes.get(char);
      if (byte === undefined) throw new Error(`${char} has no ${charset} byte`);
      return byte;
    }),
  );
}
