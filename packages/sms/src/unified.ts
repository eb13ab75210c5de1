import { createClient, type UnifiedOptions } from '@smswire/unified';
import { VendorError } from '@smswire/core/errors';
import type { Adapter, AdapterOptions } from './adapter.js';
import { wireNumber } from './numbers.js';

export interface UnifiedAdapterOptions extends UnifiedOptions, AdapterOptions {}

/**
 * Unified through `bulksms`, or `schedulemsg` with `at` (sent as UTC, `gmt` `+00:00`). The
 * encoding picks `type`: unified.txt L10, `0` plain text (GSM 03.38), `1` flash, `2` Unicode,
 * `6` Unicode flash. A delivery report is asked for (`dlr=1`), but the API has no status or
 * balance read.
 */
export function unified(options: UnifiedAdapterOptions): Adapter {
  const { from, ...clientOptions } = options;
  const client = createClient(clientOptions);
  return {
    vendor: 'unified',
    capabilities: { schedule: true, flash: true, status: false, balance: false, reports: false, messageId: true },
    async send(message, init) {
      const type: 0 | 1 | 2 | 6 = message.encoding === 'ucs2' ? (message.flash ? 6 : 2) : message.flash ? 1 : 0;
      const params = { type, dlr: 1 as const, destination: wireNumber('unified', message.to), source: message.from ?? from ?? '', message: message.text };
      const reply = message.at ? await client.schedulemsg({ ...params, at: message.at, gmt: '+00:00' }, init) : await client.bulksms(params, init);
      const accepted = reply.accepted[0];
      if (!accepted) {
        const rejection = reply.rejected[0];
        throw new VendorError({ vendor: 'unified', operation: message.at ? 'schedulemsg' : 'bulksms', code: rejection?.code ?? '', description: rejection?.description ?? 'no entry for the destination', retryable: false });
      }
      return { messageId: accepted.messageId };
    },
  };
}
