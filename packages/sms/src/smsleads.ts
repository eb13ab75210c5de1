import type { CallInit } from '@smswire/core';
import { createClient, errorCatalog, definition, type SmsLeadsOptions } from '@smswire/smsleads';
import { ParseError, ValidationError } from '@smswire/core/errors';
import {
  batchSize,
  specLimit,
  type Adapter,
  type AdapterOptions,
  type OutgoingMessage,
  type SendFields,
} from './adapter.js';
import { wireNumber } from './numbers.js';
import { type MessageStatus, status } from './states.js';

export interface SmsLeadsAdapterOptions extends SmsLeadsOptions, AdapterOptions {
  /**
   * How many days after a message was sent `status` looks for its report (`dlr` asks for a date
   * range); default 7, at most 365 (smsleads.txt L221: "up to 1 year back").
   */
  statusWindowDays?: number | undefined;
}

const day = 86_400_000;
/** smsleads.txt L221: "The date range that is allowed to pick from is a range of 1 week up to 1 year back". */
const yearBack = 365 * day;

/**
 * A message id that carries its send time: a UUIDv7 (RFC 9562), milliseconds in its first 48
 * bits, so `status` can ask `dlr` for the days after the send, and say when a message is older
 * than the vendor reads back.
 */
function timedId(now = Date.now()): string {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(16));
  for (let i = 0; i < 6; i++) bytes[i] = Math.floor(now / 2 ** (8 * (5 - i))) % 256;
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The send time of an id `timedId` made; undefined for any other id (one from before, say). */
function sentAt(id: string): number | undefined {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i.test(id)) return undefined;
  return Number.parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
const israel = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Asia/Jerusalem',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

/** A reply's `dd/mm/yy hh:mm`, Israel time (the spec's `x-smswire-time-zone`), as a Date; undefined if unreadable. */
export function israelTime(text: string): Date | undefined {
  const match = /^(\d\d)\/(\d\d)\/(\d\d) (\d\d):(\d\d)$/.exec(text.trim());
  if (!match) return undefined;
  const [, dd, mm, yy, hh, mi] = match.map(Number) as [number, number, number, number, number, number];
  const wall = Date.UTC(2000 + yy, mm - 1, dd, hh, mi);
  // The zone's offset at that wall time: read twice, so a time near a DST change settles.
  let utc = wall;
  for (let i = 0; i < 2; i++) {
    const p = Object.fromEntries(israel.formatToParts(new Date(utc)).map((x) => [x.type, Number(x.value)]));
    utc = wall - (Date.UTC(p.year!, p.month! - 1, p.day!, p.hour!, p.minute!) - utc);
  }
  return Number.isNaN(utc) ? undefined : new Date(utc);
}

function tooOld(sent: number): ValidationError {
  return new ValidationError({
    vendor: 'smsleads',
    operation: 'dlr',
    issues: [
      {
        path: 'messageId',
        message: `was sent on ${new Date(sent).toISOString().slice(0, 10)}, more than a year ago: SMS Leads reads delivery reports at most 1 year back (smsleads.txt L221)`,
      },
    ],
  });
}

/** `dlr`'s most ids a request (smsleads.txt L222: "The max limit of DLR's in each request is 1000"), from the spec. */
const dlrLimit = specLimit(definition, 'dlr', 'transactions');

/**
 * `bulk`'s most phones in one `<destinations>`, from specs/smsleads.yaml (the document names none;
 * the spec says why 500). A batch keeps the whole request to that many, whatever its `<sms>` groups.
 */
const bulkLimit = specLimit(definition, 'bulk', 'messages[].destinations.phone');

/** The request fields that carry a message's sender and text. */
export const sendFields: SendFields = { from: 'source', text: 'message' };

/**
 * SMS Leads through the `sms` command, to Israeli mobile numbers only (`05X…`). Each phone gets
 * its own `id` attribute, which is the message ID: `dlr` reports by that id ("external_id"),
 * not by the shipment. Scheduling is `timing`; there is no encoding or flash flag. `sendMany` sends
 * the messages of one `timing` in one `bulk`, an `<sms>` per sender and text; its reply is one
 * status for the whole request, so `0` accepts every phone (a blocked number among them is only
 * seen in its delivery report: code 8 is "All numbers are on a blocked list").
 */
export function smsleads(options: SmsLeadsAdapterOptions): Adapter {
  const { from, statusWindowDays = 7, batchSize: size, onMessageIds, ...clientOptions } = options;
  if (!Number.isInteger(statusWindowDays) || statusWindowDays < 1 || statusWindowDays > 365)
    throw new ValidationError({
      vendor: 'smsleads',
      operation: 'createClient',
      issues: [
        {
          path: 'statusWindowDays',
          message: 'must be a whole number of days from 1 to 365: SMS Leads reads reports up to 1 year back (L221)',
        },
      ],
    });
  const client = createClient(clientOptions);
  const params = (message: OutgoingMessage, id: string) => ({
    source: message.from ?? from ?? '',
    destinations: { phone: [{ id, number: wireNumber('smsleads', message.to) }] },
    message: message.text,
    ...(message.at ? { timing: message.at } : {}),
  });

  /**
   * `dlr` for messages whose send times fit one date range: from the minute of the earliest send
   * (dd/mm/yy hh:mm drops the seconds), `statusWindowDays` long; ids it cannot date (made
   * elsewhere) are asked for in the window before now. Ids too far apart take a request per range.
   */
  async function dlr(messageIds: readonly string[], init?: CallInit): Promise<MessageStatus[]> {
    const now = Date.now();
    const width = statusWindowDays * day;
    const ranges = new Map<number, string[]>();
    const dated = messageIds.map((id) => ({ id, sent: sentAt(id) })).sort((a, b) => (a.sent ?? 0) - (b.sent ?? 0));
    let start: number | undefined;
    for (const { id, sent } of dated) {
      if (sent !== undefined && sent < now - yearBack) throw tooOld(sent);
      const from = sent === undefined ? now - width : sent - 60_000;
      if (start === undefined || sent === undefined || from >= start + width - 60_000) start = from;
      const ids = ranges.get(start);
      if (ids) ids.push(id);
      else ranges.set(start, [id]);
    }
    const read = await Promise.all(
      [...ranges].map(async ([from, ids]) => {
        const to = Math.max(from + 60_000, Math.min(now, from + width));
        const reply = await client.dlr({ transactions: ids, from: new Date(from), to: new Date(to) }, init);
        return reply.transactions ?? [];
      }),
    );
    const reports = new Map(read.flat().map((t) => [t.external_id, t]));
    return messageIds.map((messageId) => {
      const report = reports.get(messageId);
      if (!report) return status('smsleads', messageId, 'unknown', '');
      // smsleads.txt L234–236: `<status>102</status>` … `<en_message>Delivered</en_message>`, the only documented state.
      const vendorStatus = String(report.status ?? '');
      return status(
        'smsleads',
        messageId,
        vendorStatus === '102' ? 'delivered' : 'unknown',
        report.en_message ? `${vendorStatus} ${report.en_message}` : vendorStatus,
      );
    });
  }

  return {
    vendor: 'smsleads',
    codes: errorCatalog,
    capabilities: {
      schedule: true,
      flash: false,
      status: true,
      balance: true,
      reports: false,
      pollReports: false,
      messageId: true,
      countries: ['IL'],
    },
    async send(message, init) {
      const id = timedId();
      onMessageIds?.([{ key: message.key, messageId: id }]);
      await client.sms(params(message, id), init);
      return { messageId: id };
    },
    // The phone's id is new for every send: the one shown is not the one a send will use.
    prepare: async (message, init) => ({
      operation: 'sms',
      request: await client.prepare.sms(params(message, timedId()), init),
    }),
    async status(messageId, init) {
      const [report] = await dlr([messageId], init);
      return report!;
    },
    statusBatch: { size: dlrLimit, read: dlr },
    inbound: {
      // smsleads.txt L310: "a range of 1 week up to 1 year back", as `dlr` reads it.
      window: 7 * day,
      async read(range, init) {
        const reply = await client.incoming({ from: range.from, to: range.to }, init);
        return (reply.transactions ?? []).flatMap((t) => {
          const at = t.date === undefined ? undefined : israelTime(t.date);
          // A reply without a readable date cannot be placed in a window: it is left out rather than guessed.
          if (!at) return [];
          return [{ from: t.source ?? '', to: t.destination ?? '', text: t.message ?? '', at }];
        });
      },
    },
    async balance(init) {
      const reply = await client.balance({}, init);
      // A success without the balance says nothing about it: an error, never an amount of 0.
      if (reply.balance === undefined)
        throw new ParseError({
          vendor: 'smsleads',
          operation: 'balance',
          reason: 'the reply has no balance',
          body: '',
        });
      return { vendor: 'smsleads', amount: reply.balance, unit: 'credits' };
    },
    batch: {
      size: batchSize('smsleads', size, bulkLimit),
      distinctNumbers: false,
      key: (message) => String(message.at?.getTime() ?? ''),
      async send(messages, init) {
        const ids = messages.map(() => timedId());
        const groups = new Map<
          string,
          { source: string; destinations: { phone: { id: string; number: string }[] }; message: string }
        >();
        messages.forEach((m, i) => {
          const source = m.from ?? from ?? '';
          const key = JSON.stringify([source, m.text]);
          const group = groups.get(key) ?? { source, destinations: { phone: [] }, message: m.text };
          group.destinations.phone.push({ id: ids[i]!, number: wireNumber('smsleads', m.to) });
          groups.set(key, group);
        });
        const at = messages[0]!.at;
        onMessageIds?.(messages.map((m, i) => ({ key: m.key, messageId: ids[i]! })));
        await client.bulk({ messages: [...groups.values()], ...(at ? { timing: at } : {}) }, init);
        return ids.map((id) => ({ messageId: id }));
      },
    },
  };
}
