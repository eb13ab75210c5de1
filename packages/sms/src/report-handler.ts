import { ValidationError } from '@smswire/core/errors';
import { checkSecret, verifyCallback } from './callback-signing.js';
import { applyReport, memoryReportStore, type ReportStore } from './report-store.js';
import { parseReport } from './sms365-report.js';
import type { MessageStatus, State } from './states.js';

/** One line of the endpoint's log. It never holds a secret, a signature or the request URL. */
export interface ReportLogEntry {
  /** The HTTP status answered. */
  status: number;
  outcome: 'applied' | 'duplicate' | 'stale' | 'refused' | 'malformed' | 'failed';
  /** Why it was refused or failed: `badSignature`, `expired`, `otherMessage`, `contradicts`, `urlTooLong`… */
  reason?: string | undefined;
  messageId?: string | undefined;
  state?: State | undefined;
}

export interface ReportHandlerOptions {
  /** Key id → secret: every secret whose signatures are still accepted (the one that signs, and those being retired). */
  secrets: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** Called once for each change applied, after it is recorded; a throw answers 500 and undoes it. */
  onReport(status: MessageStatus): void | Promise<void>;
  /** Where applied states live (default: in memory); the file and Redis stores outlive the process. */
  store?: ReportStore | undefined;
  /** Each request's outcome (default: refusals and failures to `console.warn`, as JSON). */
  log?: ((entry: ReportLogEntry) => void) | undefined;
  /** The longest request URL accepted (default 2,048 bytes; a signed sms365 callback is about 400). */
  maxUrlBytes?: number | undefined;
  /** The most query parameters accepted (default 24). */
  maxParams?: number | undefined;
}

/**
 * What the endpoint reads of a request: its method, its URL (absolute, or the path and query a
 * `node:http` request carries) and whether a body follows. Nothing else of a request matters to
 * it, so a server can hand these over without building a Fetch `Request`.
 */
export interface ReportInput {
  method: string;
  url: string;
  /** A `transfer-encoding` header, or a `content-length` other than 0. */
  hasBody: boolean;
}

/** What the endpoint answers: a status, a short text body and its headers. */
export interface ReportAnswer {
  status: number;
  body: string;
  headers: Record<string, string>;
}

/**
 * The endpoint as a Fetch-standard handler (mounts as is in Hono, Next route handlers and
 * Deno/Bun servers) and, as `answer`, the same rules without Fetch objects: what `toNodeListener`
 * calls, since building a `Request` and a `Response` cost more than the rest of a report.
 */
export interface ReportHandler {
  (request: Request): Promise<Response>;
  answer(input: ReportInput): Promise<ReportAnswer>;
}

/** Whether a body follows, from a request's `transfer-encoding` and `content-length` headers (either door's). */
export const bodyFollows = (transferEncoding: string | null | undefined, contentLength: string | null | undefined) =>
  transferEncoding != null || Number(contentLength ?? 0) !== 0;

const plain = { 'content-type': 'text/plain; charset=utf-8' };
const text = (status: number, body: string, headers?: Record<string, string>): ReportAnswer => ({
  status,
  body,
  headers: headers ? { ...plain, ...headers } : plain,
});

const defaultLog = (entry: ReportLogEntry) => {
  if (entry.status >= 400) console.warn(`smswire report endpoint: ${JSON.stringify(entry)}`);
};

/**
 * The endpoint sms365 calls with each delivery report (GET, `msgid status cost to mcc mnc`
 * appended to the URL signed for the message; see callback-signing.ts). It answers:
 * 200 for a report applied, or already applied (a vendor repeating it is told to stop);
 * 403 for a URL whose signature does not hold, has expired, or was made for another message,
 * and for a second, different final state (a replayed URL with its status changed);
 * 400/405/413/414 for a request that is not a report; 500 when `onReport` throws and 503 when
 * the store fails: the change is then not recorded, so the vendor's retry applies it again.
 * It never throws.
 */
export function createReportHandler(options: ReportHandlerOptions): ReportHandler {
  const secrets = new Map(options.secrets instanceof Map ? options.secrets : Object.entries(options.secrets));
  if (secrets.size === 0)
    throw new ValidationError({
      vendor: 'sms365',
      operation: 'createReportHandler',
      issues: [{ path: 'secrets', message: 'must hold at least one key id and secret' }],
    });
  for (const [keyId, secret] of secrets) checkSecret(keyId, secret);
  const store = options.store ?? memoryReportStore();
  const log = options.log ?? defaultLog;
  const maxUrlBytes = options.maxUrlBytes ?? 2048;
  const maxParams = options.maxParams ?? 24;
  const answer = (entry: ReportLogEntry, reply: ReportAnswer) => {
    try {
      log(entry);
    } catch {
      // A logger that throws must not turn an answer into a crash.
    }
    return reply;
  };
  const refuse = (status: number, outcome: 'refused' | 'malformed', reason: string, headers?: Record<string, string>) =>
    answer({ status, outcome, reason }, text(status, status === 403 ? 'Forbidden' : reason, headers));

  const handle = async (request: ReportInput): Promise<ReportAnswer> => {
    if (request.method !== 'GET') return refuse(405, 'malformed', 'method', { allow: 'GET' });
    // A Request's URL is serialized percent-encoded, and Node reads a request line's bytes one
    // character each: either way its length is its size in bytes.
    if (request.url.length > maxUrlBytes) return refuse(414, 'malformed', 'urlTooLong');
    if (request.hasBody) return refuse(413, 'malformed', 'body');
    let query: URLSearchParams;
    try {
      query = new URL(request.url, 'http://report.invalid').searchParams;
    } catch {
      // A request line no URL parser takes: `GET //[?msgid=1`.
      return refuse(400, 'malformed', 'url');
    }
    const names = [...query.keys()];
    if (names.length > maxParams) return refuse(400, 'malformed', 'tooManyParams');
    // A name twice, hoping that one reader takes the first and another the last: sms365 repeats none.
    if (new Set(names).size !== names.length) return refuse(400, 'malformed', 'repeatedParam');
    const verdict = verifyCallback(query, secrets);
    if (!verdict.ok) return refuse(403, 'refused', verdict.reason);
    let report: MessageStatus;
    try {
      report = parseReport(query);
    } catch (error) {
      if (!(error instanceof ValidationError)) throw error;
      return refuse(400, 'malformed', error.issues.map((i) => `${i.path} ${i.message}`).join('; '));
    }
    const { messageId, state } = report;
    let applied: Awaited<ReturnType<typeof applyReport>>;
    try {
      applied = await applyReport(store, verdict.ref, report);
    } catch (error) {
      return answer(
        { status: 503, outcome: 'failed', reason: `store: ${describe(error)}`, messageId, state },
        text(503, 'store unavailable'),
      );
    }
    if (applied.outcome === 'otherMessage' || applied.outcome === 'contradicts')
      return answer(
        { status: 403, outcome: 'refused', reason: applied.outcome, messageId, state },
        text(403, 'Forbidden'),
      );
    if (applied.outcome !== 'applied')
      return answer({ status: 200, outcome: applied.outcome, messageId, state }, text(200, 'OK'));
    try {
      await options.onReport(applied.status);
    } catch (error) {
      // Not heard, so not applied: the vendor's retry of this report is applied and heard again.
      await applied.undo().catch(() => undefined);
      return answer(
        { status: 500, outcome: 'failed', reason: `onReport: ${describe(error)}`, messageId, state },
        text(500, 'not applied'),
      );
    }
    return answer({ status: 200, outcome: 'applied', messageId, state }, text(200, 'OK'));
  };

  const direct = async (input: ReportInput): Promise<ReportAnswer> => {
    try {
      return await handle(input);
    } catch (error) {
      return answer({ status: 500, outcome: 'failed', reason: describe(error) }, text(500, 'internal error'));
    }
  };
  const fetchHandler = async (request: Request): Promise<Response> => {
    const reply = await direct({
      method: request.method,
      url: request.url,
      hasBody: bodyFollows(request.headers.get('transfer-encoding'), request.headers.get('content-length')),
    });
    return new Response(reply.body, { status: reply.status, headers: reply.headers });
  };
  return Object.assign(fetchHandler, { answer: direct });
}

const describe = (error: unknown) => (error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown');
