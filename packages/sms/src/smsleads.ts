import { createClient, errorCatalog, definition, type SmsLeadsOptions } from '@smswire/smsleads';
import { batchSize, specLimit, type Adapter, type AdapterOptions } from './adapter.js';
import { wireNumber } from './numbers.js';
import { status } from './states.js';

export interface SmsLeadsAdapterOptions extends SmsLeadsOptions, AdapterOptions {
  /** How far back `status` looks for a message's report (`dlr` asks for a date range); default 7 days. */
  statusWindowDays?: number | undefined;
}

const day = 86_400_000;
/**
 * `bulk`'s most phones in one `<destinations>`, from specs/smsleads.yaml (the document names none;
 * the spec says why 500). A batch keeps the whole request to that many, whatever its `<sms>` groups.
 */
const bulkLimit = specLimit(definition, 'bulk', 'messages[].destinations.phone');

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
  const client = createClient(clientOptions);
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
      const id = globalThis.crypto.randomUUID();
      onMessageIds?.([{ key: message.key, messageId: id }]);
      await client.sms(
        {
          source: message.from ?? from ?? '',
          destinations: { phone: [{ id, number: wireNumber('smsleads', message.to) }] },
          message: message.text,
          ...(message.at ? { timing: message.at } : {}),
        },
        init,
      );
      return { messageId: id };
    },
    async status(messageId, init) {
      const now = Date.now();
      const reply = await client.dlr(
        { transactions: [messageId], from: new Date(now - statusWindowDays * day), to: new Date(now) },
        init,
      );
      const report = reply.transactions?.find((t) => t.external_id === messageId);
      if (!report) return status('smsleads', messageId, 'unknown', '');
      // smsleads.txt L234–236: `<status>102</status>` … `<en_message>Delivered</en_message>`, the only documented state.
      const vendorStatus = String(report.status ?? '');
      return status(
        'smsleads',
        messageId,
        vendorStatus === '102' ? 'delivered' : 'unknown',
        report.en_message ? `${vendorStatus} ${report.en_message}` : vendorStatus,
      );
    },
    async balance(init) {
      const reply = await client.balance({}, init);
      return { vendor: 'smsleads', amount: reply.balance ?? 0, unit: 'credits' };
    },
    batch: {
      size: batchSize('smsleads', size, bulkLimit),
      distinctNumbers: false,
      key: (message) => String(message.at?.getTime() ?? ''),
      async send(messages, init) {
        const ids = messages.map(() => globalThis.crypto.randomUUID());
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
