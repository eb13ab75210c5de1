import { createClient, errorCatalog, definition, type Sms365Options } from '@smswire/sms365';
import { ParseError } from '@smswire/core/errors';
import {
  batchSize,
  oneTextKey,
  specLimit,
  type Adapter,
  type AdapterOptions,
  type BatchItem,
  type OutgoingMessage,
  type SendFields,
} from './adapter.js';
import { checkSigning, signCallbackUrl, type CallbackSigning } from './callback-signing.js';
import { SendError } from './errors.js';
import { parseReport } from './sms365-report.js';
import { wireNumber } from './numbers.js';
import { sms365State } from './reports.js';

export interface Sms365AdapterOptions extends Sms365Options, AdapterOptions {
  /**
   * Your URL sms365 calls with each delivery report (`smsSend`'s `callback`). A string is used as
   * is; `{ url, keyId, secret, ttlSeconds }` signs each message's URL, which the endpoint of
   * `@smswire/sms/report-endpoint` checks (docs/guides/delivery-reports.md).
   */
  callback?: string | CallbackSigning | undefined;
}

export type { CallbackSigning } from './callback-signing.js';
export { parseReport } from './sms365-report.js';

/** `smsBulk`'s most numbers a request, from specs/sms365.yaml (the document names none; the spec says why 500). */
const bulkLimit = specLimit(definition, 'smsBulk', 'to');

/** The request fields that carry a message's sender and text. */
export const sendFields: SendFields = { from: 'from', text: 'text' };

/**
 * sms365 through `smsSend`: `ucs` for UCS-2 text, `flash`, `timestamp` for `at`, and the
 * delivery-report `callback` when the adapter has one. Status is `statusSms`, balance `meBalance`.
 * `sendMany` puts one text to many numbers in one `smsBulk`, except with a `callback`: `api/sms/bulk`
 * takes none (sms365.txt L349–362), so each message then goes alone and keeps its delivery report.
 */
export function sms365(options: Sms365AdapterOptions): Adapter {
  const { from, callback, batchSize: size, ...clientOptions } = options;
  const limit = batchSize('sms365', size, bulkLimit);
  if (callback && typeof callback !== 'string') checkSigning(callback);
  const client = createClient(clientOptions);
  const params = (message: OutgoingMessage) => {
    const sender = message.from ?? from;
    return {
      to: wireNumber('sms365', message.to),
      text: message.text,
      ...(sender ? { from: sender } : {}),
      ...(message.encoding === 'ucs2' ? { ucs: true } : {}),
      ...(message.flash ? { flash: true } : {}),
      ...(message.at ? { timestamp: message.at } : {}),
      ...(callback
        ? { callback: typeof callback === 'string' ? callback : signCallbackUrl(callback, message.key) }
        : {}),
    };
  };
  return {
    vendor: 'sms365',
    codes: errorCatalog,
    capabilities: {
      schedule: true,
      flash: true,
      status: true,
      balance: true,
      reports: true,
      pollReports: true,
      messageId: true,
    },
    async send(message, init) {
      const reply = await client.smsSend(params(message), init);
      return { messageId: reply.smsId };
    },
    prepare: async (message, init) => ({
      operation: 'smsSend',
      request: await client.prepare.smsSend(params(message), init),
    }),
    async status(messageId, init) {
      const reply = await client.statusSms({ smsId: messageId }, init);
      return sms365State(messageId, reply.sms?.status ?? '');
    },
    async balance(init) {
      const reply = await client.meBalance({}, init);
      // A success without the balance says nothing about it: an error, never an amount of 0.
      if (reply.balance === undefined)
        throw new ParseError({
          vendor: 'sms365',
          operation: 'meBalance',
          reason: 'the reply has no balance',
          body: '',
        });
      return { vendor: 'sms365', amount: reply.balance, unit: 'credits' };
    },
    // sms365.txt L2898–2926, api/status/get: "Returns all sms whose status has been changed since
    // last call", `sms{ smsId status }` each. The spec makes it a write, so a lost reply is never
    // asked again (it would hand over nothing): those changes come by `status` or the callback.
    parseReport,
    async pollReports(init) {
      const reply = await client.statusGet({}, init);
      return (reply.sms ?? []).filter((s) => s.smsId).map((s) => sms365State(s.smsId!, s.status ?? ''));
    },
    batch: callback
      ? undefined
      : {
          size: limit,
          distinctNumbers: true,
          key: (message) => oneTextKey(message, from),
          async send(messages, init) {
            const first = messages[0]!;
            const sender = first.from ?? from;
            const numbers = messages.map((m) => wireNumber('sms365', m.to));
            const reply = await client.smsBulk(
              {
                to: numbers,
                text: first.text,
                ...(sender ? { from: sender } : {}),
                ...(first.encoding === 'ucs2' ? { ucs: true } : {}),
                ...(first.flash ? { flash: true } : {}),
                ...(first.at ? { timestamp: first.at } : {}),
              },
              init,
            );
            // sms365.txt L370–378: `sms{ smsId msisdn }` for each accepted message, and only counts of
            // the rejected ones. The msisdn is the number in international digits (L36), as sent.
            const ids = new Map((reply.sms ?? []).map((s) => [s.msisdn?.replace(/\D/g, '') ?? '', s.smsId]));
            const missing = numbers.filter((n) => !ids.get(n)).length;
            // The numbers the reply leaves out are the rejected ones only when its counts say so.
            const refused = missing === reply.rejected && numbers.length - missing === reply.accepted;
            return numbers.map((number): BatchItem => {
              const smsId = ids.get(number);
              if (smsId) return { messageId: smsId };
              return {
                error: refused
                  ? new SendError({
                      vendor: 'sms365',
                      operation: 'smsBulk',
                      outcome: 'notAccepted',
                      reason: 'ambiguous',
                      message: 'sms365 smsBulk rejected the number without saying why',
                    })
                  : new SendError({
                      vendor: 'sms365',
                      operation: 'smsBulk',
                      outcome: 'unknown',
                      reason: 'ambiguous',
                      message:
                        'sms365 smsBulk: the reply does not say what became of the number; it may have been sent',
                    }),
              };
            });
          },
        },
  };
}
