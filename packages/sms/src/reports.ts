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

/**
 * A vendor's delivery-report callback as a status. Only sms365 documents one (sms365.txt L564–565),
 * and it is read by the vendor package's own parser, which the main entry does not load (the
 * vendor packages are optional): use `sms.report('sms365', request)` or `parseReport` from
 * `@smswire/sms/sms365`.
 */
export function parseReport(vendor: VendorId, _request: ReportRequest): MessageStatus {
  if (vendor !== 'sms365')
    throw new UnsupportedError(vendor, 'parseReport', 'the vendor documents no delivery-report callback');
  throw new UnsupportedError(
    vendor,
    'parseReport',
    "read its reports with sms.report('sms365', request) or parseReport from '@smswire/sms/sms365', which use @smswire/sms365's parser",
  );
}
