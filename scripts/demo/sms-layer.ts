import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Adapter, createSms, SendError, segments } from '../../packages/sms/src/index.js';
import { dinisoft } from '../../packages/sms/src/dinisoft.js';
import { dreams } from '../../packages/sms/src/dreams.js';
import { sms365 } from '../../packages/sms/src/sms365.js';
import { smsleads } from '../../packages/sms/src/smsleads.js';
import { unified } from '../../packages/sms/src/unified.js';

type Log = (label: string, value: unknown) => void;

/** A number in each vendor's market, written as people type it, and the example reply its mock gives. */
const destinations = {
  dinisoft: { to: '+880 1712-345678', example: 'accepted' },
  dreams: { to: '00966 50 000 0000', example: 'success' },
  sms365: { to: '+30 697 100 0000', example: 'sent' },
  smsleads: { to: '+972 50-234-5678', example: 'ok' },
  unified: { to: '+91 98123 45678', example: 'accepted' },
} as const;
type Vendor = keyof typeof destinations;

const adapters: Record<Vendor, (baseUrl: string) => Adapter> = {
  dinisoft: (baseUrl) => dinisoft({ apiKey: 'demo', secretKey: 'demo', baseUrl, from: 'ACME' }),
  dreams: (baseUrl) => dreams({ user: 'demo', secretKey: 'demo', baseUrl, from: 'ACME' }),
  sms365: (baseUrl) => sms365({ key: 'demo', baseUrl, from: 'ACME' }),
  smsleads: (baseUrl) => smsleads({ token: 'demo', username: 'demo', baseUrl, from: 'ACME' }),
  unified: (baseUrl) => unified({ username: 'demo', password: 'demo', baseUrl, from: 'ACME' }),
};
const prefer = (example: string) => ({ headers: { Prefer: `example=${example}` } });

/** A local stand-in for a vendor: `answer` decides each reply; counts what it receives. */
async function localVendor(answer: (res: import('node:http').ServerResponse) => void) {
  let received = 0;
  const server: Server = createServer((req, res) => {
    received++;
    req.resume();
    answer(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received: () => received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * `@smswire/sms`: one `send()` to each vendor's mock; Greek, Arabic and Hebrew with their encoding
 * and parts; failover that moves on after a refusal but not after a timeout.
 */
export async function demoSms(mocks: Record<string, string>, log: Log) {
  for (const vendor of Object.keys(destinations) as Vendor[]) {
    const { to, example } = destinations[vendor];
    const sms = createSms({ vendors: [adapters[vendor](mocks[vendor]!)] });
    const sent = await sms.send({ to, text: 'Your code is 1234' }, prefer(example));
    log(
      `send() via ${vendor}`,
      `${sent.to} ${sent.encoding} ${sent.parts} part(s), message id ${sent.messageId ?? '(none)'}`,
    );
  }

  const texts = {
    Greek: 'Καλημέρα! Η παραγγελία σας είναι έτοιμη.',
    Arabic: 'مرحبا، طلبك جاهز للاستلام من الفرع الرئيسي. شكرا لتسوقك معنا اليوم، نتمنى لك يوما سعيدا.',
    Hebrew: 'שלום, ההזמנה שלך מוכנה לאיסוף.',
  };
  const sms365Sms = createSms({ vendors: [adapters.sms365(mocks.sms365!)] });
  for (const [language, text] of Object.entries(texts)) {
    const { encoding, parts, perPart, length } = segments(text);
    const sent = await sms365Sms.send({ to: '+306971000000', text }, prefer('sent'));
    log(
      `${language} (${length} characters)`,
      `${encoding}, ${parts} part(s) of ${perPart}; sent via ${sent.vendor} as ${sent.encoding}, ${sent.parts} part(s)`,
    );
  }

  // A refusal: sms365 answers 105 "Not enough balance" (sms365.txt), so the message certainly did
  // not go out and the next vendor, DiniSoft's mock, sends it.
  const refusing = await localVendor((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 0, error: 105, remarks: 'Not enough balance' }));
  });
  // A timeout: the request went out and no answer came, so the message may exist: no failover.
  const silent = await localVendor(() => undefined);
  const standby = await localVendor((res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ Status: '0', Text: 'ACCEPTD', Message_ID: '194234' }));
  });
  try {
    const afterRefusal = createSms({
      vendors: [sms365({ key: 'demo', baseUrl: refusing.url }), adapters.dinisoft(standby.url)],
    });
    const moved = await afterRefusal.send({ to: '+306971000000', text: 'Your code is 1234' });
    log(
      'failover after a refusal (sms365: 105 not enough balance)',
      `sent via ${moved.vendor}, message id ${moved.messageId}; dinisoft received ${standby.received()}`,
    );
    const afterTimeout = createSms({
      vendors: [sms365({ key: 'demo', baseUrl: silent.url, timeoutMs: 500 }), adapters.dinisoft(standby.url)],
    });
    const error = await afterTimeout.send({ to: '+306971000000', text: 'Your code is 1234' }).catch((e: unknown) => e);
    const outcome = error instanceof SendError ? `${error.outcome} (${error.reason})` : String(error);
    log(
      'no failover after a timeout (sms365 never answers)',
      `SendError ${outcome}; sms365 received ${silent.received()}, dinisoft received ${standby.received() - 1} more`,
    );
  } finally {
    await Promise.all([refusing.close(), silent.close(), standby.close()]);
  }
}
