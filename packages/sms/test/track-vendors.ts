import { dinisoft } from '../src/dinisoft.js';
import { sms365 } from '../src/sms365.js';
import { smsleads } from '../src/smsleads.js';

/**
 * The three vendors with status reads as recording fetches on a virtual clock: each message is
 * delivered at the time `deliverAt` gives it, and each vendor answers its status reads as its
 * document says. sms365 `status/get` hands each change over once (L2902), SMS Leads `dlr` takes at
 * most 1,000 IDs (L222) and DiniSoft `getstatus` answers a message once, `114` after (L92).
 */
export function trackVendors(options: { now: () => number; deliverAt: (vendor: string, id: string) => number }) {
  const requests = { sms365: [] as string[], smsleads: [] as number[], dinisoft: [] as string[] };
  const delivered = (vendor: string, id: string) => options.deliverAt(vendor, id) <= options.now();
  const handedOver = new Set<string>();
  const sms365Ids = new Set<string>();
  const dinisoftAsked = new Set<string>();
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { headers: { 'content-type': 'application/json' } });

  const sms365Fetch = async (input: string | URL | Request) => {
    const path = new URL(String(input instanceof Request ? input.url : input)).pathname;
    requests.sms365.push(path);
    if (path === '/api/status/get') {
      const sms = [...sms365Ids].filter((id) => delivered('sms365', id) && !handedOver.has(id));
      for (const id of sms) handedOver.add(id);
      return json({ status: 1, error: 0, remarks: 'Success', sms: sms.map((smsId) => ({ smsId, status: 'd' })) });
    }
    const form = input instanceof Request ? await input.text() : '';
    const id = new URLSearchParams(form).get('smsId') ?? '';
    return json({
      status: 1,
      error: 0,
      remarks: 'Success',
      sms: { smsId: id, status: delivered('sms365', id) ? 'd' : 's' },
    });
  };

  const smsleadsFetch = async (_input: unknown, init?: RequestInit) => {
    const body = String(init?.body ?? '');
    const ids = [...body.matchAll(/<external_id>([^<]*)<\/external_id>/g)].map((m) => m[1]!);
    requests.smsleads.push(ids.length);
    if (ids.length > 1000) return new Response('<dlr><status>2</status><message>too many</message></dlr>');
    const rows = ids
      .filter((id) => delivered('smsleads', id))
      .map(
        (id) =>
          `<transaction><external_id>${id}</external_id><status>102</status><en_message>Delivered</en_message></transaction>`,
      );
    return new Response(
      `<dlr><status>0</status><message></message><transactions>${rows.join('')}</transactions></dlr>`,
      {
        headers: { 'content-type': 'text/xml' },
      },
    );
  };

  const dinisoftFetch = async (input: string | URL | Request) => {
    const id = new URL(String(input instanceof Request ? input.url : input)).searchParams.get('messageid') ?? '';
    requests.dinisoft.push(id);
    if (dinisoftAsked.has(id)) return json({ Status: '114', Text: 'REJECTD' });
    dinisoftAsked.add(id);
    return json(
      delivered('dinisoft', id)
        ? { Status: '0', Text: 'DELIVRD', Message_ID: id }
        : { Status: '2', Text: 'PENDING', Message_ID: id },
    );
  };

  return {
    requests,
    /** Makes an sms365 message known to the account, as a send would. */
    sent365: (id: string) => sms365Ids.add(id),
    adapters: [
      sms365({ key: 'k', baseUrl: 'http://sms365.test', fetch: sms365Fetch as never }),
      smsleads({ username: 'u', token: 't', baseUrl: 'http://smsleads.test', fetch: smsleadsFetch as never }),
      dinisoft({ apiKey: 'k', secretKey: 's', baseUrl: 'http://dinisoft.test', fetch: dinisoftFetch as never }),
    ],
  };
}

/** A UUIDv7 made at `at` with `n` in its random part, as the SMS Leads adapter makes message IDs. */
export function v7(at: number, n: number): string {
  const hex = at.toString(16).padStart(12, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7abc-8def-${n.toString(16).padStart(12, '0')}`;
}
