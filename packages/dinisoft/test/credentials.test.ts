import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replay, type ReplayServer } from '../../../test/support/replay.js';
import { createClient, ParseError, ValidationError } from '../src/index.js';

let server: ReplayServer;
beforeAll(async () => {
  server = await replay({
    '/sendtext': { body: '{"Status":"0","Text":"ACCEPTD","Message_ID":"194234"}', type: 'application/json' },
    '/login/sms/smsConfiguration/smsClientBalance.jsp': { body: '10.000000\n' },
  });
});
afterAll(() => server.close());

describe('@smswire/dinisoft credentials are per operation', () => {
  // dinisoft.txt L59–69: "BALANCE CHECK URL … smsClientBalance.jsp?client=ClientName": no API key.
  it('reads the balance with a client that has no keys, and sends none', async () => {
    const client = createClient({ baseUrl: server.url });
    expect(await client.smsClientBalance({ client: 'ClientName' })).toBe(10);
    expect(Object.fromEntries(server.received.at(-1)!.searchParams)).toEqual({ client: 'ClientName' });
  });

  // dinisoft.txt L9–11 and L24–26: the submit URL carries apikey and secretkey.
  it('refuses a send without the keys, naming the createClient options, and sends nothing', async () => {
    const before = server.received.length;
    const error = await createClient({ baseUrl: server.url, apiKey: 'K' })
      .sendText({ callerID: 'ACME', toUser: '8801712345678', messageContent: 'Hi' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([
      { path: 'secretKey', message: 'is required by sendText (a createClient option)' },
    ]);
    expect(server.received.length).toBe(before);
  });

  it('refuses a credential given empty or unsendable at createClient', () => {
    expect(() => createClient({ apiKey: '' })).toThrow(ValidationError);
    expect(() => createClient({ apiKey: 'a\nb' })).toThrow(/control character/);
    expect(() => createClient({ secretKey: 'x\ud800' })).toThrow(/lone surrogate/);
  });
});

describe('@smswire/dinisoft servers', () => {
  /** Records the URL of each call and answers like the vendor, without a network. */
  function recording() {
    const urls: string[] = [];
    const fetch = async (input: string | URL | Request) => {
      const url = String(input instanceof Request ? input.url : input);
      urls.push(url);
      return url.includes('smsClientBalance')
        ? new Response('10.000000')
        : new Response('{"Status":"0","Text":"ACCEPTD","Message_ID":"1"}', {
            headers: { 'content-type': 'application/json' },
          });
    };
    return { urls, fetch };
  }
  const send = { callerID: 'ACME', toUser: '8801712345678', messageContent: 'Hi' };

  // dinisoft.txt L13–19 (submit "Or http://sms.dinisoftbd.com:7788/…") and L63–69 (balance "Or
  // http://sms.dinisoftbd.com/login/…", the default port): the plain-HTTP choice moves each call
  // to its own documented plain-HTTP server.
  it("server: 'http' picks each operation's documented plain-HTTP server", async () => {
    const { urls, fetch } = recording();
    const client = createClient({ apiKey: 'K', secretKey: 'S', server: 'http', fetch });
    await client.sendText(send);
    await client.smsClientBalance({ client: 'ClientName' });
    expect(urls.map((u) => new URL(u).origin + new URL(u).pathname)).toEqual([
      'http://sms.dinisoftbd.com:7788/sendtext',
      'http://sms.dinisoftbd.com/login/sms/smsConfiguration/smsClientBalance.jsp',
    ]);
  });

  it('defaults to the HTTPS servers, each operation its own', async () => {
    const { urls, fetch } = recording();
    const client = createClient({ apiKey: 'K', secretKey: 'S', fetch });
    await client.sendText(send);
    await client.smsClientBalance({ client: 'ClientName' });
    expect(urls.map((u) => new URL(u).origin)).toEqual([
      'https://sms.dinisoftbd.com:7790',
      'https://sms.dinisoftbd.com',
    ]);
  });

  it('a baseUrl (a mock) still captures every operation', async () => {
    const { urls, fetch } = recording();
    const client = createClient({
      apiKey: 'K',
      secretKey: 'S',
      server: 'http',
      baseUrl: 'http://127.0.0.1:4010',
      fetch,
    });
    await client.sendText(send);
    await client.smsClientBalance({ client: 'ClientName' });
    expect(urls.every((u) => u.startsWith('http://127.0.0.1:4010/'))).toBe(true);
  });

  // dinisoft.txt L59-69: the balance page has its own servers; the README's recipe for a baseUrl
  // that should not move it: a second client, without keys, for the balance.
  it('dinisoft L59-69: with baseUrl on the sending client only, the balance is read from the documented page', async () => {
    const { urls, fetch } = recording();
    const messages = createClient({ apiKey: 'K', secretKey: 'S', baseUrl: 'https://sms-proxy.example:7790', fetch });
    const account = createClient({ fetch });
    await messages.sendText(send);
    await account.smsClientBalance({ client: 'ClientName' });
    expect(urls.map((u) => new URL(u).origin)).toEqual([
      'https://sms-proxy.example:7790',
      'https://sms.dinisoftbd.com',
    ]);
  });

  it('refuses a server the spec does not name', () => {
    // @ts-expect-error: only the documented names type-check
    expect(() => createClient({ server: 'ftp' })).toThrow(/must be one of "https", "http"/);
  });
});

describe('@smswire/dinisoft replies are held to the reply schema', () => {
  // dinisoft.txt L22: {"Status":"0","Text":"ACCEPTD","Message_ID":"194234"} — every value text.
  it('refuses a Message_ID that is not text', async () => {
    const fetch = async () => new Response('{"Status":"0","Text":"ACCEPTD","Message_ID":{}}');
    const error = await createClient({ apiKey: 'K', secretKey: 'S', fetch })
      .sendText({ callerID: 'A', toUser: '1', messageContent: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ParseError);
    expect((error as ParseError).message).toMatch(/Message_ID is not text/);
  });
});
