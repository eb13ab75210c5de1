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

function query(request: ReportRequest): URLSearchParams {
  if (request instanceof URLSearchParams) return request;
  if (request instanceof URL) return request.searchParams;
  const url = typeof request === 'string' ? request : request.url;
  return new URL(url, 'http://localhost').searchParams;
}

/**
 * A vendor's delivery-report callback as a status. Only sms365 documents one (sms365.txt L564–565:
 * "msgid, status, cost, to, mcc, mnc … status (d or f) for delivered or failed"); it calls your
 * `callback` URL with GET.
 */
export function parseReport(vendor: VendorId, request: ReportRequest): MessageStatus {
  if (vendor !== 'sms365')
    throw new UnsupportedError(vendor, 'parseReport', 'the vendor documents no delivery-report callback');
  const params = query(request);
  const messageId = params.get('msgid');
  const state = params.get('status');
  if (!messageId || !state) {
    throw new ValidationError({
      vendor,
      operation: 'parseReport',
      issues: [{ path: messageId ? 'status' : 'msgid', message: 'is missing from the report' }],
    });
  }
  return sms365State(messageId, state, new Date());
}
