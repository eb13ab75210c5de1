import { createHash, createHmac } from 'node:crypto';
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import type { MessageStatus } from '@smswire/sms';
import { UsageError } from './exit-codes.js';

/**
 * The one event `listen --forward` posts for every change, whichever vendor reported it and
 * however (a callback now; a status read by `track` later): Standard Webhooks' envelope
 * (`type`, `timestamp`, `data`) around the state model of @smswire/sms.
 */
export interface StatusEvent {
  type: 'message.status';
  /** When the event was made (ISO 8601). */
  timestamp: string;
  data: {
    vendor: string;
    messageId: string;
    state: string;
    final: boolean;
    vendorStatus: string;
    /** When the vendor says the change happened, if it says. */
    at?: string;
  };
}

export function statusEvent(status: MessageStatus, now: Date): StatusEvent {
  return {
    type: 'message.status',
    timestamp: now.toISOString(),
    data: {
      vendor: status.vendor,
      messageId: status.messageId,
      state: status.state,
      final: status.final,
      vendorStatus: status.vendorStatus,
      ...(status.at ? { at: status.at.toISOString() } : {}),
    },
  };
}

/**
 * The `webhook-id` of a change: the same for every attempt and every restart, so the receiver
 * drops a repeat (Standard Webhooks' idempotency key).
 */
export const eventId = (event: StatusEvent) =>
  `msg_${createHash('sha256').update(`${event.data.vendor}\0${event.data.messageId}\0${event.data.state}`).digest('base64url').slice(0, 24)}`;

/** A `whsec_<base64>` secret's key bytes; refused (naming no part of it) unless it is one of at least 24 bytes. */
export function webhookKey(secret: string): Buffer {
  const body = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : '';
  const key = Buffer.from(body, 'base64');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || key.length < 24)
    throw new UsageError(
      '--forward needs SMSWIRE_FORWARD_SECRET (or --forward-secret): whsec_ then at least 24 bytes in base64',
    );
  return key;
}

/**
 * Standard Webhooks' headers for one delivery: an HMAC-SHA256 of `id.timestamp.body` with the
 * secret's key, as `v1,<base64>`. Ten lines of node:crypto, so no runtime dependency; the tests
 * check it against the `standardwebhooks` package's `Webhook.verify`.
 */
export function webhookHeaders(key: Buffer, id: string, body: string, now: number): Record<string, string> {
  const timestamp = String(Math.floor(now / 1000));
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signature}`,
  };
}

export interface ForwarderOptions {
  url: string;
  secret: string;
  /** Where an event goes when every attempt failed, or the service refused it: one JSON line each. */
  deadLetter: string;
  /** Attempts per event (default 8): after the first, waits of `backoffMs` doubling (with jitter) up to 60 s. */
  attempts?: number;
  backoffMs?: number;
  /** Each attempt's deadline (default 10 s). */
  timeoutMs?: number;
  fetch?: typeof fetch;
  /** Told of each event dead-lettered, with why. */
  onDeadLetter?: (event: StatusEvent, why: string) => void;
  /** The clock, in epoch milliseconds: the events' timestamps and the signatures'. */
  now: () => number;
}

export interface Forwarder {
  forward(status: MessageStatus): void;
  /** Stops retrying: waits for the attempts under way, then dead-letters every event not delivered. */
  close(): Promise<void>;
}

/**
 * Posts each change to the user's service, retried with backoff on a network error, a timeout,
 * 408, 429 and 5xx; another 4xx is the service saying no, and is dead-lettered at once. The
 * report was recorded before it is forwarded: a failing service never loses a report, it fills
 * the dead-letter file, which a script replays.
 */
export function createForwarder(options: ForwarderOptions): Forwarder {
  const key = webhookKey(options.secret);
  const attempts = options.attempts ?? 8;
  const backoffMs = options.backoffMs ?? 500;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const post = options.fetch ?? fetch;
  const closing = new AbortController();
  const underway = new Set<Promise<void>>();
  const deadLetterFd = openSync(options.deadLetter, 'a', 0o600);

  const deadLetter = (event: StatusEvent, id: string, why: string, tries: number) => {
    const line = `${JSON.stringify({ webhookId: id, url: options.url, attempts: tries, error: why, deadAt: new Date(options.now()).toISOString(), event })}\n`;
    writeSync(deadLetterFd, line);
    fsyncSync(deadLetterFd);
    options.onDeadLetter?.(event, why);
  };

  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      if (closing.signal.aborted) return resolve();
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        closing.signal.removeEventListener('abort', done);
        resolve();
      }
      closing.signal.addEventListener('abort', done, { once: true });
    });

  const deliver = async (event: StatusEvent) => {
    const id = eventId(event);
    const body = JSON.stringify(event);
    let why = 'not attempted';
    for (let attempt = 1; attempt <= attempts; attempt++) {
      if (attempt > 1) {
        if (closing.signal.aborted)
          return deadLetter(event, id, `${why}; listen stopped before the next attempt`, attempt - 1);
        const delay = Math.min(60_000, backoffMs * 2 ** (attempt - 2));
        await wait(delay / 2 + Math.random() * (delay / 2));
        if (closing.signal.aborted)
          return deadLetter(event, id, `${why}; listen stopped before the next attempt`, attempt - 1);
      }
      try {
        const response = await post(options.url, {
          method: 'POST',
          headers: webhookHeaders(key, id, body, options.now()),
          body,
          signal: AbortSignal.timeout(timeoutMs),
        });
        await response.body?.cancel().catch(() => undefined);
        if (response.ok) return;
        why = `HTTP ${response.status}`;
        if (response.status < 500 && response.status !== 408 && response.status !== 429)
          return deadLetter(event, id, why, attempt);
      } catch (error) {
        why =
          error instanceof Error
            ? `${error.name}: ${(error.cause as Error | undefined)?.message ?? error.message}`
            : 'failed';
      }
    }
    deadLetter(event, id, why, attempts);
  };

  return {
    forward(status) {
      const run = deliver(statusEvent(status, new Date(options.now()))).catch(() => undefined);
      underway.add(run);
      void run.finally(() => underway.delete(run));
    },
    async close() {
      closing.abort();
      await Promise.all(underway);
      closeSync(deadLetterFd);
    },
  };
}
