/**
 * `maxReplyBytes`, held to before anyone reads a reply. Two readers, two functions: generated
 * calls read the bytes themselves (`readCapped`); `client.raw` hands a Response to openapi-fetch,
 * which reads it (`capResponse`, in raw.ts).
 */

export class ReplyTooLarge extends Error {
  constructor(max: number) {
    // Names the option, so a list longer than its budget is never a loss the user cannot fix.
    super(`the reply exceeds maxReplyBytes (${max}); a larger maxReplyBytes option reads it`);
  }
}

/**
 * The most bytes an operation's reply may have: the client's `maxReplyBytes`, or the budget the
 * spec gives a list the vendor hands over whole (`x-smswire-reply-budget`) when that is larger.
 */
export function replyCap(maxReplyBytes: number, op: { replyBudget?: number | undefined }): number {
  return Math.max(maxReplyBytes, op.replyBudget ?? 0);
}

/**
 * The whole body of a generated call's reply, at most `max` bytes. A declared oversize body is
 * refused at once (ReplyTooLarge is thrown, not returned) before a byte is read; a declared,
 * uncompressed length is already held to by fetch, and such a body the caller knows to be UTF-8
 * is read by fetch as text; anything else is counted as it arrives, decompressed.
 */
export function readCapped(response: Response, max: number, utf8: boolean): Promise<Uint8Array | string> {
  // Not an async function: a layer of them costs a call's continuation more code to run after
  // the round trip, when the CPU's caches hold little of it (docs/benchmarks.md, "Cold").
  if (!response.body) return Promise.resolve('');
  const declared = declaredLength(response);
  refuseDeclared(response.body, declared, max);
  if (Number.isNaN(declared)) return readBytes(response.body, max);
  return utf8 ? response.text() : response.arrayBuffer().then((buffer) => new Uint8Array(buffer));
}

/** The uncompressed length the reply declares, else NaN: a compressed body's Content-Length says nothing about what it expands to. */
export function declaredLength(response: Response): number {
  return response.headers.has('content-encoding')
    ? Number.NaN
    : Number(response.headers.get('content-length') ?? Number.NaN);
}

export function refuseDeclared(body: ReadableStream<Uint8Array>, declared: number, max: number): void {
  if (declared > max) {
    void body.cancel().catch(() => undefined);
    throw new ReplyTooLarge(max);
  }
}

/**
 * Reads a body up to `max` bytes. A reader loop, not a TransformStream: on the hot path a
 * TransformStream costs more than the rest of the client together.
 */
async function readBytes(body: ReadableStream<Uint8Array>, max: number): Promise<Uint8Array> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      void reader.cancel().catch(() => undefined);
      throw new ReplyTooLarge(max);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const whole = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    whole.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return whole;
}
