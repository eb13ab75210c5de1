import { createSms, SendError, UnsupportedError, type Adapter, type SendResult } from '@smswire/sms';
import { dinisoft } from '@smswire/sms/dinisoft';
import { dreams } from '@smswire/sms/dreams';
import { sms365 } from '@smswire/sms/sms365';
import { smsleads } from '@smswire/sms/smsleads';
import { unified } from '@smswire/sms/unified';
import { describe, expect, inject, it } from 'vitest';
import { listVendors, loadSpec } from '../../scripts/lib/vendors.js';
import { loadVendorModule } from '../support/clients.js';
import { xmlRequestChecker } from '../support/xml-requests.js';

/**
 * `@smswire/sms` against the Prism mock of each vendor: the request each adapter sends must
 * satisfy the vendor's spec (Prism's `sl-violations`; SMS Leads' XML through the schema), and the
 * replies Prism picks from the spec's examples (`Prefer: example=…`) map to one result shape.
 */
const leads = listVendors().find((v) => v.id === 'smsleads')!;
const checkXml = xmlRequestChecker(loadSpec(leads), (await loadVendorModule(leads)).definition);

function recorder() {
  const sent: { url: URL; body: string }[] = [];
  const violations: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : input);
    const body = String(init?.body ?? '');
    sent.push({ url, body });
    if (new Headers(init?.headers).get('content-type') === 'application/xml') {
      const command = body.match(/^(?:<\?[^>]*\?>\s*)?<(\w+)/)?.[1] ?? '';
      // The checker decodes with the reply shaper, which reads an absent list as an empty one;
      // a body with only <phone> destinations has no <cl_id> at all.
      const absentList = (problem: string) =>
        problem === '/destinations/cl_id must NOT have fewer than 1 items' && !body.includes('<cl_id');
      violations.push(...checkXml(command, body).filter((problem) => !absentList(problem)));
    }
    const response = await globalThis.fetch(input, init);
    const found = (JSON.parse(response.headers.get('sl-violations') ?? '[]') as { location: string[] }[]).filter(
      (v) => v.location[0] === 'request',
    );
    if (found.length) violations.push(`${url.pathname}: ${JSON.stringify(found)}`);
    return response;
  };
  return { sent, violations, fetch };
}

const prefer = (example: string) => ({ headers: { Prefer: `example=${example}` } });
const mock = (vendor: string) => inject('mocks')[vendor] as string;

function setup(
  make: (common: { baseUrl: string; fetch: typeof fetch; maxRetries: 0 }) => Adapter,
  vendor: string,
  defaultCountry?: 'IL',
) {
  const rec = recorder();
  const adapter = make({ baseUrl: mock(vendor), fetch: rec.fetch as typeof fetch, maxRetries: 0 });
  return { rec, sms: createSms({ vendors: [adapter], ...(defaultCountry ? { defaultCountry } : {}) }) };
}

describe('dinisoft through @smswire/sms', () => {
  const { rec, sms } = setup(
    (c) => dinisoft({ ...c, apiKey: 'k', secretKey: 's', from: 'DINISOFT', account: 'ClientName' }),
    'dinisoft',
  );

  it('sends with the number as international digits and returns the message id', async () => {
    const result = await sms.send({ to: '+880 1712-345678', text: 'Hello' }, prefer('accepted'));
    expect(result).toMatchObject({
      vendor: 'dinisoft',
      messageId: '194234',
      to: '+8801712345678',
      state: 'accepted',
      encoding: 'gsm7',
      parts: 1,
    });
    expect(rec.sent.at(-1)!.url.searchParams.get('toUser')).toBe('8801712345678');
    expect(rec.violations).toEqual([]);
  });

  it('maps a refusal to a SendError with its reason', async () => {
    const error = await sms
      .send({ to: '+8801712345678', text: 'Hello' }, prefer('wrongPassword'))
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SendError);
    expect(error).toMatchObject({ outcome: 'notAccepted', reason: 'auth', vendor: 'dinisoft', operation: 'sendText' });
  });

  it('reads status and balance, and cannot schedule', async () => {
    expect(await sms.status('194234', {}, prefer('delivered'))).toMatchObject({
      state: 'delivered',
      final: true,
      vendorStatus: 'DELIVRD',
    });
    expect(await sms.balance({}, prefer('balance'))).toEqual([
      { vendor: 'dinisoft', amount: expect.any(Number), unit: 'credits' },
    ]);
    await expect(
      sms.send({ to: '+8801712345678', text: 'x', at: new Date(Date.now() + 3_600_000) }),
    ).rejects.toBeInstanceOf(UnsupportedError);
    expect(rec.violations).toEqual([]);
  });
});

describe('unified through @smswire/sms', () => {
  const { rec, sms } = setup((c) => unified({ ...c, username: 'u', password: 'p', from: 'SMSWIRE' }), 'unified');

  it('sends GSM-7 as type 0, UCS-2 as type 2 and flash UCS-2 as type 6 (unified.txt L10)', async () => {
    const plain = await sms.send({ to: '+91 98123 45678', text: 'Hello' }, prefer('accepted'));
    expect(plain).toMatchObject({
      vendor: 'unified',
      to: '+919812345678',
      encoding: 'gsm7',
      messageId: expect.any(String),
    });
    expect(rec.sent.at(-1)!.url.searchParams.get('type')).toBe('0');
    expect(rec.sent.at(-1)!.url.searchParams.get('destination')).toBe('919812345678');
    await sms.send({ to: '+919812345678', text: 'Γειά σου κόσμε' }, prefer('accepted'));
    expect(rec.sent.at(-1)!.url.searchParams.get('type')).toBe('2');
    await sms.send({ to: '+919812345678', text: 'مرحبا', flash: true }, prefer('accepted'));
    expect(rec.sent.at(-1)!.url.searchParams.get('type')).toBe('6');
    expect(rec.violations).toEqual([]);
  });

  it('schedules through schedulemsg', async () => {
    const result = await sms.send(
      { to: '+919812345678', text: 'Later', at: new Date('2030-01-02T15:04:00Z') },
      prefer('accepted'),
    );
    expect(result.state).toBe('scheduled');
    expect(rec.sent.at(-1)!.url.pathname).toContain('schedulemsg');
    expect(rec.violations).toEqual([]);
  });

  it('1715 (response timeout, "do not resubmit") is an unknown outcome; no status or balance read', async () => {
    await expect(sms.send({ to: '+919812345678', text: 'x' }, prefer('responseTimeout'))).rejects.toMatchObject({
      outcome: 'unknown',
      reason: 'ambiguous',
    });
    await expect(sms.send({ to: '+919812345678', text: 'x' }, prefer('insufficientCredit'))).rejects.toMatchObject({
      outcome: 'notAccepted',
      reason: 'balance',
    });
    await expect(sms.status('1')).rejects.toBeInstanceOf(UnsupportedError);
    await expect(sms.balance({ vendor: 'unified' })).rejects.toBeInstanceOf(UnsupportedError);
  });

  it('sendMany: one bulksms for a text to many numbers; the mixed reply keeps the accepted id, and a number with no entry is unknown', async () => {
    // unified.yaml SubmitReply example `mixed`: `1701|919812345678|…,1706|91981234`.
    const results = await sms.sendMany(
      [
        { to: '+919812345678', text: 'Sale' },
        { to: '+919812345679', text: 'Sale' },
      ],
      {},
      prefer('mixed'),
    );
    expect(rec.sent.at(-1)!.url.searchParams.get('destination')).toBe('919812345678,919812345679');
    expect(results[0]).toMatchObject({
      status: 'accepted',
      vendor: 'unified',
      messageId: '3f5a9c12-7d1e-4b2a-9c55-0e5f1d2a7b61',
    });
    expect(results[1]).toMatchObject({ status: 'unknown', reason: 'ambiguous' });
    expect(rec.violations).toEqual([]);
  });
});

describe('sms365 through @smswire/sms', () => {
  const { rec, sms } = setup((c) => sms365({ ...c, key: 'k', from: 'ACME' }), 'sms365');

  it('flags UCS-2 text with ucs=true and sends GSM-7 without it', async () => {
    const result: SendResult = await sms.send({ to: '+30 697 100 0000', text: 'Καλημέρα' }, prefer('sent'));
    expect(result).toMatchObject({ vendor: 'sms365', messageId: '7316204', to: '+306971000000', encoding: 'ucs2' });
    const form = new URLSearchParams(rec.sent.at(-1)!.body);
    expect(form.get('ucs')).toBe('true');
    expect(form.get('to')).toBe('306971000000');
    await sms.send({ to: '+306971000000', text: 'Hello' }, prefer('sent'));
    expect(new URLSearchParams(rec.sent.at(-1)!.body).has('ucs')).toBe(false);
    expect(rec.violations).toEqual([]);
  });

  it('maps 105 to balance, reads status and balance', async () => {
    await expect(sms.send({ to: '+306971000000', text: 'x' }, prefer('notEnoughBalance'))).rejects.toMatchObject({
      outcome: 'notAccepted',
      reason: 'balance',
    });
    expect(await sms.status('7316204', {}, prefer('status'))).toMatchObject({
      vendor: 'sms365',
      state: 'delivered',
      final: true,
      vendorStatus: 'd',
    });
    expect(await sms.balance({}, prefer('balance'))).toEqual([{ vendor: 'sms365', amount: 4999, unit: 'credits' }]);
    expect(rec.violations).toEqual([]);
  });

  it('sendMany: one smsBulk for a text to many numbers, each with its smsId from `sms{ smsId msisdn }`', async () => {
    const to = ['+306971000000', '+306980000000', '+306971000001'];
    const results = await sms.sendMany(
      to.map((t) => ({ to: t, text: 'Sale' })),
      {},
      prefer('accepted'),
    );
    expect(rec.sent.at(-1)!.url.pathname).toBe('/api/sms/bulk');
    expect(new URLSearchParams(rec.sent.at(-1)!.body).get('to')).toBe('306971000000,306980000000,306971000001');
    // The example accepts 306971000000 and 306980000000 and counts 0 rejected: the third number is unaccounted for.
    expect(results.map((r) => (r.status === 'accepted' ? r.messageId : r.status))).toEqual([
      '7316204',
      '7316205',
      'unknown',
    ]);
    expect(rec.violations).toEqual([]);
  });

  it("pollReports: statusGet's changes in the common state model, folded with what status remembers", async () => {
    // sms365.txt L2902: "Returns all sms whose status has been changed since last call"; d and f (L565).
    expect(sms.capabilities().sms365).toMatchObject({ pollReports: true, reports: true });
    const polled = await sms.pollReports({ vendor: 'sms365' }, prefer('changes'));
    expect(rec.sent.at(-1)!.url.pathname).toBe('/api/status/get');
    expect(polled).toEqual([
      { vendor: 'sms365', messageId: '7316204', state: 'delivered', final: true, vendorStatus: 'd' },
      { vendor: 'sms365', messageId: '7316205', state: 'undelivered', final: true, vendorStatus: 'f' },
    ]);
    // A final state is remembered: status answers it without asking the vendor.
    const sent = rec.sent.length;
    expect(await sms.status('7316205', {}, prefer('status'))).toMatchObject({ state: 'undelivered' });
    expect(rec.sent).toHaveLength(sent);
    await expect(sms.pollReports({}, prefer('checkYourCredentials'))).rejects.toMatchObject({
      name: 'VendorError',
      code: '101',
    });
    expect(rec.violations).toEqual([]);
  });
});

describe('dreams through @smswire/sms', () => {
  const { rec, sms } = setup((c) => dreams({ ...c, user: 'u', secretKey: 's', from: 'SMSWIRE' }), 'dreams');

  it('sends (the reply has no message id) and reads the balance', async () => {
    const result = await sms.send({ to: '00966 50 000 0000', text: 'Hello' }, prefer('success'));
    expect(result).toMatchObject({ vendor: 'dreams', to: '+966500000000', state: 'accepted' });
    expect(result.messageId).toBeUndefined();
    expect(new URLSearchParams(rec.sent.at(-1)!.body).get('to')).toBe('966500000000');
    await expect(sms.send({ to: '+966500000000', text: 'x' }, prefer('notEnoughBalance'))).rejects.toMatchObject({
      reason: 'balance',
      outcome: 'notAccepted',
    });
    expect(await sms.balance({}, prefer('balance'))).toEqual([
      { vendor: 'dreams', amount: expect.any(Number), unit: 'credits' },
    ]);
    await expect(sms.status('x')).rejects.toBeInstanceOf(UnsupportedError);
    expect(rec.violations).toEqual([]);
  });

  it('sendMany: one sendsms_multi with a text per number; success accepts every pair', async () => {
    const results = await sms.sendMany(
      [
        { to: '+966500000000', text: 'One' },
        { to: '+966500000001', text: 'Two' },
      ],
      {},
      prefer('success'),
    );
    expect(rec.sent.at(-1)!.url.pathname).toContain('sendsms_multi');
    expect(JSON.parse(new URLSearchParams(rec.sent.at(-1)!.body).get('to')!)).toEqual([
      [{ to: '966500000000', message: 'One' }],
      [{ to: '966500000001', message: 'Two' }],
    ]);
    expect(results.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(rec.violations).toEqual([]);
  });
});

describe('smsleads through @smswire/sms', () => {
  const { rec, sms } = setup((c) => smsleads({ ...c, token: 't', username: 'u', from: 'SMSWIRE' }), 'smsleads', 'IL');

  it('sends to an Israeli mobile in its national form, with its own id for the report', async () => {
    const result = await sms.send({ to: '050-234-5678', text: 'שלום' }, prefer('ok'));
    expect(result).toMatchObject({
      vendor: 'smsleads',
      to: '+972502345678',
      encoding: 'ucs2',
      messageId: expect.any(String),
    });
    expect(rec.sent.at(-1)!.body).toContain(`<phone id="${result.messageId}">0502345678</phone>`);
    expect(rec.violations).toEqual([]);
  });

  it('has no vendor for a destination outside Israel; reads status by external id and the balance', async () => {
    await expect(sms.send({ to: '+966500000000', text: 'x' })).rejects.toBeInstanceOf(UnsupportedError);
    // smsleads.txt L234–236: status 102 "Delivered".
    expect(await sms.status('1391438285', {}, prefer('ok'))).toMatchObject({ state: 'delivered', final: true });
    expect(await sms.balance({}, prefer('ok'))).toEqual([{ vendor: 'smsleads', amount: 42, unit: 'credits' }]);
    expect(rec.violations).toEqual([]);
  });

  it('sendMany: one bulk, an <sms> per text, each phone with its own id', async () => {
    const results = await sms.sendMany(
      [
        { to: '050-234-5678', text: 'A' },
        { to: '050-234-5679', text: 'B' },
        { to: '050-234-5670', text: 'A' },
      ],
      {},
      prefer('ok'),
    );
    const body = rec.sent.at(-1)!.body;
    expect(body).toMatch(/^(<\?[^>]*\?>\s*)?<bulk>/);
    expect(body.match(/<sms>/g)).toHaveLength(2);
    for (const r of results) {
      expect(r.status).toBe('accepted');
      if (r.status === 'accepted')
        expect(body).toContain(`<phone id="${r.messageId}">${r.to.replace('+972', '0')}</phone>`);
    }
    expect(rec.violations).toEqual([]);
  });
});
