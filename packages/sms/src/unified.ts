import { createClient, errorCatalog, definition, formatSchedule, type UnifiedOptions } from '@smswire/unified';
import type { PipeResult } from '@smswire/core';
import { ValidationError, VendorError } from '@smswire/core/errors';
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
import { SendError } from './errors.js';
import { wireNumber } from './numbers.js';

export interface UnifiedAdapterOptions extends UnifiedOptions, AdapterOptions {
  /**
   * Where a scheduled message goes. unified.txt reads two ways: the scheduler's URL is
   * `/bulksms/schedulemsg` (L122, the default), its code samples call `/bulksms/bulksms` with the
   * same `date`, `time` and `gmt` (L142–206). `'bulksms'` follows the samples, for an account
   * that answers `schedulemsg` with 404.
   */
  schedulePath?: 'schedulemsg' | 'bulksms' | undefined;
}

/**
 * Most destinations a request, from specs/unified.yaml (the document names none; the spec says why
 * 100): the smaller of the two operations a batch may use.
 */
const destinationLimit = Math.min(
  specLimit(definition, 'bulksms', 'destination'),
  specLimit(definition, 'schedulemsg', 'destination'),
  specLimit(definition, 'bulksmsScheduled', 'destination'),
);

const digits = (number: string | undefined) => number?.replace(/\D/g, '') ?? '';

/** The request fields that carry a message's sender and text. */
export const sendFields: SendFields = { from: 'source', text: 'message' };

/**
 * Unified through `bulksms`, or `schedulemsg` with `at` (sent as UTC, `gmt` `+00:00`; `bulksmsScheduled`
 * with `schedulePath: 'bulksms'`, the code samples' reading of the document). The
 * encoding picks `type`: unified.txt L10, `0` plain text (GSM 03.38), `1` flash, `2` Unicode,
 * `6` Unicode flash. A delivery report is asked for (`dlr=1`), but the API has no status or
 * balance read. `sendMany` puts one text to many numbers in one request (the comma-separated
 * `destination`); the reply has an entry per destination.
 */
export function unified(options: UnifiedAdapterOptions): Adapter {
  const { from, batchSize: size, schedulePath = 'schedulemsg', ...clientOptions } = options;
  if (schedulePath !== 'schedulemsg' && schedulePath !== 'bulksms')
    throw new ValidationError({
      vendor: 'unified',
      operation: 'createClient',
      issues: [{ path: 'schedulePath', message: "must be 'schedulemsg' or 'bulksms'" }],
    });
  const scheduleOperation = schedulePath === 'bulksms' ? 'bulksmsScheduled' : 'schedulemsg';
  const client = createClient(clientOptions);
  const params = (message: OutgoingMessage, destination: string | string[]) => {
    const type: 0 | 1 | 2 | 6 = message.encoding === 'ucs2' ? (message.flash ? 6 : 2) : message.flash ? 1 : 0;
    return { type, dlr: 1 as const, destination, source: message.from ?? from ?? '', message: message.text };
  };
  const submit = (
    message: OutgoingMessage,
    destination: string | string[],
    init: Parameters<typeof client.bulksms>[1],
  ) => {
    const wire = params(message, destination);
    if (!message.at) return client.bulksms(wire, init);
    return scheduleOperation === 'schedulemsg'
      ? client.schedulemsg({ ...wire, at: message.at, gmt: '+00:00' }, init)
      : client.bulksmsScheduled({ ...wire, ...formatSchedule(message.at, '+00:00') }, init);
  };
  return {
    vendor: 'unified',
    codes: errorCatalog,
    capabilities: {
      schedule: true,
      flash: true,
      status: false,
      balance: false,
      reports: false,
      pollReports: false,
      messageId: true,
    },
    async send(message, init) {
      const reply = await submit(message, wireNumber('unified', message.to), init);
      const accepted = reply.accepted[0];
      if (!accepted) {
        const rejection = reply.rejected[0];
        throw new VendorError({
          vendor: 'unified',
          operation: message.at ? scheduleOperation : 'bulksms',
          code: rejection?.code ?? '',
          description: rejection?.description ?? 'no entry for the destination',
          retryable: false,
        });
      }
      return { messageId: accepted.messageId };
    },
    async prepare(message, init) {
      const to = wireNumber('unified', message.to);
      const wire = params(message, to);
      if (!message.at) return { operation: 'bulksms', request: await client.prepare.bulksms(wire, init) };
      return scheduleOperation === 'schedulemsg'
        ? {
            operation: scheduleOperation,
            request: await client.prepare.schedulemsg({ ...wire, at: message.at, gmt: '+00:00' }, init),
          }
        : {
            operation: scheduleOperation,
            request: await client.prepare.bulksmsScheduled({ ...wire, ...formatSchedule(message.at, '+00:00') }, init),
          };
    },
    batch: {
      size: batchSize('unified', size, destinationLimit),
      distinctNumbers: true,
      key: (message) => oneTextKey(message, from),
      async send(messages, init) {
        const first = messages[0]!;
        const operation = first.at ? scheduleOperation : 'bulksms';
        const numbers = messages.map((m) => wireNumber('unified', m.to));
        let reply: PipeResult;
        try {
          reply = await submit(first, numbers, init);
        } catch (error) {
          // Nothing accepted: the error lists every entry, which may differ per destination.
          if (!(error instanceof VendorError && error.rejected.some((r) => r.destination))) throw error;
          reply = { accepted: [], rejected: [...error.rejected] };
        }
        const accepted = new Map(reply.accepted.map((a) => [digits(a.destination), a.messageId]));
        const rejected = new Map(reply.rejected.filter((r) => r.destination).map((r) => [digits(r.destination), r]));
        // A bare code (`1725`) is about the request, so about every destination it names no entry for.
        const whole = reply.rejected.find((r) => !r.destination);
        return numbers.map((number): BatchItem => {
          // Accepted with no ID (`1701|<number>|`) is accepted still: the message was submitted.
          if (accepted.has(number)) {
            const messageId = accepted.get(number);
            return messageId ? { messageId } : {};
          }
          const rejection = rejected.get(number) ?? whole;
          if (rejection)
            return {
              error: new VendorError({
                vendor: 'unified',
                operation,
                code: rejection.code,
                description: rejection.description,
                retryable: false,
              }),
            };
          return {
            error: new SendError({
              vendor: 'unified',
              operation,
              outcome: 'unknown',
              reason: 'ambiguous',
              message: `unified ${operation}: the reply has no entry for a destination; it may have been sent`,
            }),
          };
        });
      },
    },
  };
}
