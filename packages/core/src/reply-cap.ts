/**
 * `maxReplyBytes`, held to before anyone reads a reply. Two readers, two functions: generated
 * calls read the bytes themselves (`readCapped`); `client.raw` hands a Response to openapi-fetch,
 * which reads it (`capResponse`).
 */

export class ReplyTooLarge extends Error {
  constructor(max: number) {
    super(`the reply exceeds maxReplyBytes (${max})`);
  }
}

/**
 * The whole body of a generated call's reply, at most `max` bytes. A declared oversize body is
 * refused before a byte is read; a declared, uncompressed length is already held to by fetch;
 * anything else is counted as it arrives, decompressed.
 */
export async function readCapped(response: Response, max: number): Promise<Uint8Array> {
  if (!response.body) return new Uint8Array();
  const declared = declaredLength(response);
  refuseDeclared(response.body, declared, max);
  if (!Number.isNaN(declared)) return new Uint8Array(await response.arrayBuffer());
  return readBytes(response.body, max);
}

/** The reply for `client.raw`: an unsized or compressed body is counted as openapi-fetch streams it. */
export function capResponse(response: Response, max: number): Response {
  if (!response.body) return response;
  const declared = declaredLength(response);
  refuseDeclared(response.body, declared, max);
  if (!Number.isNaN(declared)) return response;
  let total = 0;
  const limited = response.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        total += chunk.byteLength;
        if (total > max) controller.error(new ReplyTooLarge(max));
        else controller.enqueue(chunk);
      },
    }),
  );
  return new Response(limited, { status: response.status, statusText: response.statusText, headers: response.headers });
}

/** The uncompressed length the reply declares, else NaN: a compressed body's Content-Length says nothing about what it expands to. */
function declaredLength(response: Response): number {
  return response.headers.has('content-encoding')
    ? Number.NaN
    : Number(response.headers.get('content-length') ?? Number.NaN);
}

function refuseDeclared(body: ReadableStream<Uint8Array>, declared: number, max: number): void {
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
