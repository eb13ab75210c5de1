import { ValidationError } from '@smswire/core/errors';
import { UnsupportedError } from './errors.js';
import { status, type MessageStatus, type State } from './states.js';
import type { VendorId } from './vendors.js';

/**
 * sms365.txt L565 and L1181: `d` delivered, `f` failed to deliver, `s` sent with the report still
 * pending. A Map: the key is the vendor's text, and `toString` must be no state.
 */
const sms365States = new Map<string, State>([
  ['d', 'delivered'],
  ['f', 'undelivered'],
  ['s', 'sent'],
]);

export function sms365State(messageId: string, vendorStatus: string, at?: Date): MessageStatus {
  return status('sms365', messageId, sms365States.get(vendorStatus) ?? 'unknown', vendorStatus, at);
}

/** A delivery-report callback as your server received it: a Fetch `Request`, a URL, or its query. */
export type ReportRequest = Request | URL | URLSearchParams | string | { url: string };

/** The query of a callback request; a URL that cannot be read is a ValidationError. */
export function reportQuery(vendor: VendorId, request: ReportRequest): URLSearchParams {
  if (request instanceof URLSearchParams) return request;
  if (request instanceof URL) return request.searchParams;
  const url = typeof request === 'string' ? request : request.url;
  try {
    return new URL(url, 'http://localhost').searchParams;
  } catch {
    throw new ValidationError({
      vendor,
      operation: 'parseReport',
      issues: [{ path: 'url', message: 'is not a valid URL' }],
    });
  }
}

/** No vendor but sms365 documents a delivery-report callback (the five documents, read for issue 31). */
export function noReportCallback(vendor: VendorId): UnsupportedError {
  return new UnsupportedError(vendor, 'parseReport', 'the vendor documents no delivery-report callback');
}

/**
 * A vendor's delivery-report callback as a status. Only sms365 documents one (sms365.txt L564–565),
 * read by `@smswire/sms365`'s own parser. That package is an optional peer, which the main entry
 * loads only here and only when asked, hence a promise; `sms.report(vendor, request)` and
 * `parseReport` from `@smswire/sms/sms365` read a report synchronously once the adapter is loaded.
 */
export async function parseReport(vendor: VendorId, request: ReportRequest): Promise<MessageStatus> {
  if (vendor !== 'sms365') throw noReportCallback(vendor);
  let reader: typeof import('./sms365-report.js');
  try {
    reader = await import('./sms365-report.js');
  } catch (error) {
    const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
    if (code === 'ERR_MODULE_NOT_FOUND' && /@smswire\/sms365['"]/.test(String(message)))
      throw new UnsupportedError(
        vendor,
        'parseReport',
        'its parser is in @smswire/sms365: install it beside @smswire/sms',
      );
    throw error;
  }
  return reader.parseReport(request);
}
