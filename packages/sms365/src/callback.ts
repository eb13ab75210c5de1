import { ValidationError, type ValidationIssue } from '@smswire/core';

/** One delivery report, as sms365 appends it to the `callback` URL given to `smsSend`. */
export interface DeliveryReport {
  /** The `smsId` that `smsSend` returned. */
  msgid: string;
  /** `d` delivered, `f` failed, as sent. */
  status: 'd' | 'f';
  delivered: boolean;
  /** What the message cost. */
  cost: number;
  /** The mobile number, MSISDN. */
  to: string;
  /** Mobile country and network code of the receiving network. */
  mcc: string;
  mnc: string;
}

const fields = ['msgid', 'status', 'cost', 'to', 'mcc', 'mnc'] as const;

/**
 * Reads the query sms365 calls your `callback` URL with (`msgid, status, cost, to, mcc, mnc`),
 * from the request URL (absolute, or a path with its query) or its search params. Anything
 * missing or malformed is a `ValidationError` listing every problem.
 */
export function parseDeliveryReport(input: string | URL | URLSearchParams): DeliveryReport {
  const issues: ValidationIssue[] = [];
  let query: URLSearchParams;
  try {
    query = input instanceof URLSearchParams ? input : new URL(String(input), 'http://callback.invalid').searchParams;
  } catch {
    // A raw request line such as `GET //[?msgid=1` reaches a Node server as `req.url` unchanged.
    throw new ValidationError({
      vendor: 'sms365',
      operation: 'deliveryReport',
      issues: [{ path: 'url', message: 'is not a valid URL' }],
    });
  }
  const value = (name: (typeof fields)[number], pattern: RegExp, what: string) => {
    const all = query.getAll(name);
    if (all.length !== 1) issues.push({ path: name, message: all.length ? 'is repeated' : 'is required' });
    else if (!pattern.test(all[0]!)) issues.push({ path: name, message: `must be ${what}` });
    return all[0] ?? '';
  };
  const msgid = value('msgid', /^[\w.-]{1,64}$/, 'an sms id (letters, digits, . _ -)');
  const status = value('status', /^[df]$/, '"d" (delivered) or "f" (failed)');
  const cost = value('cost', /^[0-9]{1,9}(\.[0-9]{1,9})?$/, 'a decimal number');
  const to = value('to', /^\+?[0-9]{6,18}$/, 'a mobile number');
  const mcc = value('mcc', /^[0-9]{0,3}$/, 'up to three digits');
  const mnc = value('mnc', /^[0-9]{0,3}$/, 'up to three digits');
  if (issues.length > 0) throw new ValidationError({ vendor: 'sms365', operation: 'deliveryReport', issues });
  return { msgid, status: status as 'd' | 'f', delivered: status === 'd', cost: Number(cost), to, mcc, mnc };
}
