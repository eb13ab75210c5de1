import type { CodeDefinition, ReplyContext } from '../vendor-definition.js';
import type { Rejection } from '../errors.js';
import { redacted } from '../redact.js';
import { describeCode, parseError, readCode, vendorError } from './context.js';

export interface Accepted {
  destination: string;
  /** None when the vendor said "submitted" for the destination and gave no ID (`1701|<destination>|`). */
  messageId?: string | undefined;
}

/** Every destination of a submit: accepted ones with their message IDs, refused ones with why. */
export interface PipeResult {
  accepted: Accepted[];
  rejected: Rejection[];
}

/**
 * `<code>|<destination>|<message_id>`, one entry per destination. The vendor document does not
 * say how entries are separated, so commas and line breaks are both accepted. An error code may
 * come alone (`1702`) or with its destination (`1706|9198…`). A success code with its destination
 * and no message ID (`1701|9198…|`) is accepted without one: the code says the message was
 * submitted, and only the ID to match its reports by is missing (specs/unified.yaml says why).
 * A success naming no destination cannot be matched to a message and is malformed. When nothing
 * was accepted this throws a VendorError whose `rejected` lists every entry; when some were, it returns both lists
 * so no accepted message ID is lost.
 */
export function decodePipe(body: string, ctx: ReplyContext): PipeResult {
  // A plain `split(',')` is several times faster than a regex split; most replies use commas.
  const raw = /[\r\n]/.test(body) ? body.split(/[\r\n,]+/) : body.split(',');
  const result: PipeResult = { accepted: [], rejected: [] };
  // Codes repeat across thousands of entries: check and look each one up once.
  const known = new Map<string, CodeDefinition | undefined>();
  for (const item of raw) {
    const entry = item.trim();
    if (entry === '') continue;
    // Fields by index, not `split('|')`: an array per entry was most of the decode's cost.
    const bar = entry.indexOf('|');
    const secondBar = bar === -1 ? -1 : entry.indexOf('|', bar + 1);
    if (secondBar !== -1 && entry.includes('|', secondBar + 1))
      throw parseError(ctx, `malformed entry "${entry}"`, body);
    const code = (bar === -1 ? entry : entry.slice(0, bar)).trim();
    let definition = known.get(code);
    if (definition === undefined) {
      definition = describeCode(ctx, readCode(ctx, code, body, `malformed entry "${entry}"`));
      known.set(code, definition);
    }
    const destination = bar === -1 ? undefined : entry.slice(bar + 1, secondBar === -1 ? undefined : secondBar).trim();
    if (definition.outcome === 'success') {
      const messageId = secondBar === -1 ? undefined : entry.slice(secondBar + 1).trim();
      if (!destination) throw parseError(ctx, `success entry without a destination "${entry}"`, body);
      result.accepted.push(messageId ? { destination, messageId } : { destination });
    } else {
      // The destination as the reply gives it, which may echo the request. A number is data the
      // caller matches its messages by (a numeric credential `1001` must not turn 972501001001
      // into another), kept unless the whole of it is a credential.
      const safe = destination ? ctx.redact(destination) : undefined;
      const number = safe !== undefined && safe !== redacted && /^\+?[0-9]+$/.test(destination!);
      result.rejected.push({
        destination: number ? destination : safe,
        code,
        description: definition.description,
        retryable: definition.retryable ?? false,
      });
    }
  }
  if (result.accepted.length === 0 && result.rejected.length === 0) throw parseError(ctx, 'empty reply', body);
  if (result.accepted.length === 0) {
    const first = result.rejected[0] as Rejection;
    // Retrying the submit is only safe when every entry says so.
    const retryable = result.rejected.every((r) => r.retryable);
    throw vendorError(ctx, first.code, { rejected: result.rejected, retryable });
  }
  return result;
}
