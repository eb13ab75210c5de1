import type { AddressInfo } from 'node:net';
import type { MessageStatus } from '@smswire/sms';
import {
  createReportHandler,
  createReportServer,
  fileReportStore,
  type ReportLogEntry,
  type ReportStore,
} from '@smswire/sms/report-endpoint';
import { exitCodes, UsageError } from './exit-codes.js';
import { createForwarder, type Forwarder } from './forward.js';
import type { Context } from './io.js';
import type { Output } from './output.js';
import { acceptedSecrets, type ReportFlags } from './report-signing.js';
import { positive } from './setup.js';

export interface ListenFlags extends ReportFlags {
  port?: string;
  host?: string;
  publicUrl?: string;
  journal?: string;
  store?: string;
  forward?: string;
  forwardSecret?: string;
  deadLetter?: string;
  forwardAttempts?: string;
  forwardBackoff?: string;
}

/** The path sms365 calls, and the one a load balancer or supervisor checks. */
export const reportPath = '/report';
export const healthPath = '/healthz';

/** Where `listen --journal <j>` keeps the states it applied: beside the journal, which `bulk` holds locked while it runs. */
export const reportsBeside = (journal: string) => `${journal}.reports.jsonl`;

/**
 * Runs the report endpoint until SIGINT or SIGTERM: then it stops accepting connections, lets the
 * requests under way finish (each change is on disk before its 200), dead-letters the forwards
 * not delivered, closes the store and resolves to exit 0.
 */
export async function listen(
  flags: ListenFlags,
  ctx: Context,
  signals: NodeJS.EventEmitter = process,
): Promise<number> {
  const { out } = ctx;
  const secrets = acceptedSecrets(flags, out, ctx.io.env);
  const storePath = flags.store ?? (flags.journal ? reportsBeside(flags.journal) : undefined);
  if (!storePath) throw new UsageError('name where reports are recorded: --journal <bulk journal> or --store <file>');
  const port = flags.port === undefined || flags.port === '0' ? 0 : positive('--port', flags.port);
  const forwardSecret = flags.forwardSecret || ctx.io.env.SMSWIRE_FORWARD_SECRET || '';
  if (forwardSecret) out.hide([forwardSecret]);
  if (flags.forward !== undefined && !/^https?:\/\//.test(flags.forward))
    throw new UsageError('--forward takes an http(s) URL');
  const store = fileReportStore(storePath);
  let forwarder: Forwarder | undefined;
  try {
    forwarder = flags.forward
      ? createForwarder({
          url: flags.forward,
          secret: forwardSecret,
          now: ctx.io.now,
          deadLetter: flags.deadLetter ?? `${storePath}.dead-letter.jsonl`,
          ...(flags.forwardAttempts ? { attempts: positive('--forward-attempts', flags.forwardAttempts) } : {}),
          ...(flags.forwardBackoff ? { backoffMs: positive('--forward-backoff', flags.forwardBackoff) } : {}),
          onDeadLetter: (event, why) =>
            out.warn(
              {
                kind: 'deadLetter',
                vendor: event.data.vendor,
                messageId: event.data.messageId,
                state: event.data.state,
                error: why,
              },
              `could not forward ${event.data.vendor} ${event.data.messageId} ${event.data.state} (${why}): written to the dead-letter file`,
            ),
        })
      : undefined;
  } catch (error) {
    await store.close();
    throw error;
  }
  return serve({ flags, out, signals, store, port, secrets, forwarder });
}

async function serve(context: {
  flags: ListenFlags;
  out: Output;
  signals: NodeJS.EventEmitter;
  store: ReportStore & { close(): Promise<void> };
  port: number;
  secrets: Map<string, string>;
  forwarder: Forwarder | undefined;
}): Promise<number> {
  const { flags, out, signals, store, forwarder } = context;
  let applied = 0;
  const reports = createReportHandler({
    secrets: context.secrets,
    store,
    onReport(status: MessageStatus) {
      applied++;
      out.emit('report', reportRecord(status), describeReport(status));
      forwarder?.forward(status);
    },
    log: (entry: ReportLogEntry) => {
      if (entry.status >= 400)
        out.warn(
          { kind: 'reportRefused', ...entry },
          `report refused: ${entry.status} ${entry.reason ?? entry.outcome}`,
        );
    },
  });
  const server = createReportServer({
    // A router in front of the endpoint's own `answer`, so a report reaches it with no Fetch objects built.
    handler: {
      answer: async (input) => {
        const path = pathOf(input.url);
        if (path === healthPath)
          return {
            status: 200,
            body: JSON.stringify({ ok: true, applied }),
            headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
          };
        // A URL no parser reads goes to the endpoint, which refuses it as malformed.
        if (path !== reportPath && path !== undefined)
          return { status: 404, body: 'Not Found', headers: { 'content-type': 'text/plain; charset=utf-8' } };
        return reports.answer(input);
      },
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new UsageError(`--port ${context.port}: already in use`) : error),
    );
    server.listen(context.port, flags.host ?? '127.0.0.1', resolve);
  }).catch(async (error) => {
    await forwarder?.close();
    await store.close();
    throw error;
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const local = `http://${host}:${address.port}`;
  const callbackUrl = flags.publicUrl ?? `${local}${reportPath}`;
  out.emit(
    'listening',
    {
      callbackUrl,
      health: `${local}${healthPath}`,
      store: flags.store ?? reportsBeside(flags.journal!),
      ...(flags.forward ? { forward: flags.forward } : {}),
    },
    `listening on ${local}${reportPath} (health: ${local}${healthPath})\ncallback URL for send/bulk: ${callbackUrl}\n  smswire bulk <file.csv> --vendor sms365 --callback-url ${callbackUrl}   (with the same SMSWIRE_REPORT_SECRET)`,
  );

  await new Promise<void>((resolve) => {
    const stop = () => {
      signals.off('SIGINT', stop);
      signals.off('SIGTERM', stop);
      out.note('stopping: finishing the requests under way');
      // Stop accepting; an idle kept-alive connection would hold `close` open until it times out.
      server.close(() => resolve());
      server.closeIdleConnections();
    };
    signals.on('SIGINT', stop);
    signals.on('SIGTERM', stop);
  });
  await forwarder?.close();
  await store.close();
  out.emit('stopped', { applied }, `stopped: ${applied} change${applied === 1 ? '' : 's'} recorded`);
  return exitCodes.done;
}

function pathOf(url: string): string | undefined {
  try {
    return new URL(url, 'http://listen.invalid').pathname;
  } catch {
    return undefined;
  }
}

const reportRecord = (status: MessageStatus) => ({
  vendor: status.vendor,
  messageId: status.messageId,
  state: status.state,
  final: status.final,
  vendorStatus: status.vendorStatus,
  ...(status.at ? { at: status.at.toISOString() } : {}),
});

const describeReport = (status: MessageStatus) =>
  `${status.state.padEnd(11)} ${status.vendor} ${status.messageId}${status.at ? ` at ${status.at.toISOString()}` : ''}`;
