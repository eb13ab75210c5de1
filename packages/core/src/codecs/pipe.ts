import type { Rejection } from '../errors.js';
import { describeCode, parseError, vendorError, type ReplyContext } from './context.js';

export interface Accepted {
  destination: string;
  messageId: string;
}

/** Every destination of a submit: accepted ones with their message IDs, refused ones with why. */
export interface PipeResult {
  accepted: Accepted[];
  rejected: Rejection[];
}

/**
 * `<code>|<destination>|<message_id>`, one entry per destination. The vendor document does not
 * say how entries are separated, so commas and line breaks are both accepted. An error code may
 * come alone (`1702`) or with its destination (`1706|9198…`). When nothing was accepted this
 * throws a VendorError whose `rejected` lists every entry; when some were, it returns both lists
 * so no accepted message ID is lost.
 */
export function decodePipe(body: string, ctx: ReplyContext): PipeResult {
  const entries = body.split(/[\r\n,]+/).map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) throw parseError(ctx, 'empty reply', body);
  const result: PipeResult = { accepted: [], rejected: [] };
  for (const entry of entries) {
    const [code = '', destination, messageId, ...extra] = entry.split('|').map((p) => p.trim());
    if (!/^-?[0-9]+$/.test(code) || extra.length > 0) throw parseError(ctx, `malformed entry "${entry}"`, body);
    const known = describeCode(ctx, code);
    if (known.outcome === 'success') {
      if (!destination || !messageId) throw parseError(ctx, `success entry without destination and message ID "${entry}"`, body);
      result.accepted.push({ destination, messageId });
    } else {
      result.rejected.push({
        destination: destination || undefined,
        code,
        description: known.description,
        retryable: known.retryable ?? false,
      });
    }
  }
  if (result.accepted.length === 0) {
    const first = result.rejected[0] as Rejection;
    // Retrying the submit is only safe when every entry says so.
    const retryable = result.rejected.every((r) => r.retryable);
    throw vendorError(ctx, first.code, { rejected: result.rejected, retryable });
  }
  return result;
}
