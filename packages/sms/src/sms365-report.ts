import { parseDeliveryReport } from '@smswire/sms365';
import { type ReportRequest, reportQuery, sms365State } from './reports.js';
import type { MessageStatus } from './states.js';

/**
 * An sms365 delivery-report callback as a status, read by `@smswire/sms365`'s parser: every field
 * of sms365.txt L564–565 (`msgid, status, cost, to, mcc, mnc`) present and well-formed, `status`
 * `d` or `f`; anything else is a ValidationError. The report carries no time: `at` is when it was read.
 * Its own module, so the report endpoint reads reports without loading the sms365 adapter.
 */
export function parseReport(request: ReportRequest): MessageStatus {
  const report = parseDeliveryReport(reportQuery('sms365', request));
  return sms365State(report.msgid, report.status, new Date());
}
