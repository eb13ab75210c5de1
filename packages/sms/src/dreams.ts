import { createClient, errorCatalog, definition, type DreamsOptions } from '@smswire/dreams';
import {
  batchSize,
  specLimit,
  type Adapter,
  type AdapterOptions,
  type OutgoingMessage,
  type SendFields,
} from './adapter.js';
import { wireNumber } from './numbers.js';

export interface DreamsAdapterOptions extends DreamsOptions, AdapterOptions {}

/** `sendsms_multi`'s most pairs a request, from specs/dreams.yaml (the document names none; the spec says why 100). */
const multiLimit = specLimit(definition, 'sendsmsMulti', 'to');

/** The request fields that carry a message's sender and text. */
export const sendFields: SendFields = { from: 'sender', text: 'message' };

/**
 * Dreams through `sendsms`. Its reply is a bare success code with no message ID, and the API
 * has no status read, no scheduling (`is_calander` is a calendar invitation, not a send time)
 * and no encoding or flash flag: the text goes as it is. Balance is `chkBalance`. `sendMany` sends
 * a sender's messages, each with its own text, in one `sendsms_multi`, whose reply is one code for
 * the whole request (dreams.txt L238–252): success accepts every pair.
 */
export function dreams(options: DreamsAdapterOptions): Adapter {
  const { from, batchSize: size, ...clientOptions } = options;
  const client = createClient(clientOptions);
  const params = (message: OutgoingMessage) => ({
    to: wireNumber('dreams', message.to),
    message: message.text,
    sender: message.from ?? from ?? '',
  });
  return {
    vendor: 'dreams',
    codes: errorCatalog,
    capabilities: {
      schedule: false,
      flash: false,
      status: false,
      balance: true,
      reports: false,
      pollReports: false,
      messageId: false,
    },
    async send(message, init) {
      await client.sendsms(params(message), init);
      return {};
    },
    prepare: async (message, init) => ({
      operation: 'sendsms',
      request: await client.prepare.sendsms(params(message), init),
    }),
    async balance(init) {
      return { vendor: 'dreams', amount: await client.chkBalance({}, init), unit: 'credits' };
    },
    batch: {
      size: batchSize('dreams', size, multiLimit),
      distinctNumbers: false,
      key: (message) => message.from ?? from ?? '',
      async send(messages, init) {
        const sender = messages[0]!.from ?? from ?? '';
        await client.sendsmsMulti(
          { sender, to: messages.map((m) => ({ to: wireNumber('dreams', m.to), message: m.text })) },
          init,
        );
        return messages.map(() => ({}));
      },
    },
  };
}
