import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeSingleByte } from '../../../test/support/charsets.js';
import { runs } from '../../../test/support/property.js';
import { readCapped, ReplyTooLarge } from '../src/reply-cap.js';
import { declaredCharset, decodeText } from '../src/reply-text.js';

/** What the transport does with a reply: the charset from its headers, one wait, then the text. */
async function readText(response: Response, max: number, askedXml: boolean) {
  const charset = declaredCharset(response.headers.get('content-type'), askedXml);
  const read = await readCapped(response, max, charset.utf8);
  return typeof read === 'string' ? { text: read } : decodeText(read, charset.named);
}

/** A reply as fetch gives it, recording whether it was read by `text()` or as bytes. */
function reply(body: Uint8Array<ArrayBuffer> | string, headers: Record<string, string>, sized = true) {
  const bytes = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  const response = new Response(
    sized
      ? bytes
      : new ReadableStream({
          start(controller) {
            controller.enqueue(bytes);
            controller.close();
          },
        }),
    { headers: sized ? { 'content-length': String(bytes.byteLength), ...headers } : headers },
  );
  const read = { text: false };
  const text = response.text.bind(response);
  response.text = () => {
    read.text = true;
    return text();
  };
  return { response, read };
}

describe('reading a reply in its charset', () => {
  it('lets fetch read a reply known to be UTF-8 as text: declared so, or JSON with no charset', async () => {
    for (const type of ['application/json', 'application/problem+json', 'text/plain; charset=UTF-8']) {
      const { response, read } = reply('{"Text":"Καλημέρα"}', { 'content-type': type });
      expect(await readText(response, 1024, false)).toEqual({ text: '{"Text":"Καλημέρα"}' });
      expect(read.text).toBe(true);
    }
  });

  it('reads the bytes when the charset is not known to be UTF-8 before they are read', async () => {
    // A pipe or text reply may be anything; an XML reply may name its charset in its declaration.
    for (const type of ['text/plain', 'text/xml', 'application/json; charset=iso-8859-7']) {
      const { response, read } = reply('1701|911|m', { 'content-type': type });
      expect(await readText(response, 1024, false)).toEqual({ text: '1701|911|m' });
      expect(read.text).toBe(false);
    }
  });

  it('follows an XML declaration in a JSON-typed reply when XML was asked for', async () => {
    const xml = '<?xml version="1.0" encoding="windows-1255"?><r>שלום</r>';
    const body = new Uint8Array(encodeSingleByte(xml, 'windows-1255'));
    const { response, read } = reply(body, { 'content-type': 'application/json' });
    expect(await readText(response, 1024, true)).toEqual({ text: xml });
    expect(read.text).toBe(false);
  });

  it('reads what the bytes would read, for any body fetch reads as text', async () => {
    const utf8 = new TextDecoder();
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 64 }), fc.boolean(), async (bytes, bom) => {
        const body = bom ? new Uint8Array([0xef, 0xbb, 0xbf, ...bytes]) : bytes;
        const { response } = reply(body, { 'content-type': 'application/json' });
        expect((await readText(response, 1024, false)).text).toBe(utf8.decode(body));
      }),
      { numRuns: runs(200) },
    );
  });

  it('holds every path to the cap: declared, streamed and compressed', async () => {
    const big = `{"x":"${'a'.repeat(2000)}"}`;
    const declared = reply(big, { 'content-type': 'application/json' });
    await expect(readText(declared.response, 1024, false)).rejects.toBeInstanceOf(ReplyTooLarge);
    expect(declared.read.text).toBe(false);
    const streamed = reply(big, { 'content-type': 'application/json' }, false);
    await expect(readText(streamed.response, 1024, false)).rejects.toBeInstanceOf(ReplyTooLarge);
    // A compressed body's Content-Length is its compressed size: what fetch expands it to is
    // counted (a constructed Response does not decompress, so these bytes stand for the expansion).
    const zipped = reply(big, { 'content-type': 'application/json', 'content-encoding': 'gzip' }, false);
    zipped.response.headers.set('content-length', String(gzipSync(big).byteLength));
    await expect(readText(zipped.response, 1024, false)).rejects.toBeInstanceOf(ReplyTooLarge);
    expect(zipped.read.text).toBe(false);
  });

  it('names a charset TextDecoder does not know, with the reply read as UTF-8 for an excerpt', async () => {
    const { response } = reply('busy', { 'content-type': 'text/plain; charset=x-klingon' });
    expect(await readText(response, 1024, false)).toEqual({ text: 'busy', unknown: 'x-klingon' });
  });
});
