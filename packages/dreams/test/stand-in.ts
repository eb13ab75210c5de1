import { afterEach } from 'vitest';
import { readForm, startServer, type FormRequest } from '../../../test/support/server.js';
import { withInternals } from '@smswire/core/internal';
import { createClient } from '../src/index.js';

export const USER = 'dreams_user';
export const SECRET = 'dreams-secret&key=+/ü';

const servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

/**
 * A Dreams stand-in independent of the spec: it answers each path with the body given, byte
 * for byte (as PHP would, `text/html`), and records every request with its form body.
 */
export async function vendor(replies: Record<string, string | { body: string; type: string }>) {
  const exchanges: FormRequest[] = [];
  const server = await startServer(async (req, res) => {
    const exchange = await readForm(req);
    exchanges.push(exchange);
    const reply = replies[exchange.path];
    if (reply === undefined) return void res.writeHead(404).end('Not Found');
    const { body: text, type } = typeof reply === 'string' ? { body: reply, type: 'text/html; charset=UTF-8' } : reply;
    res.writeHead(200, { 'content-type': type }).end(text);
  });
  servers.push(server);
  return { url: server.url, exchanges };
}

export const client = (url: string) =>
  createClient(
    withInternals({ user: USER, secretKey: SECRET, baseUrl: url, maxRetries: 2 }, { sleep: async () => undefined }),
  );

export const paths = {
  register: '/index.php/api/Register/',
  activate: '/index.php/api/activate',
  chkUser: '/index.php/api/chk_user/',
  chkBalance: '/index.php/api/chk_balance/',
  newsender: '/index.php/api/newsender/',
  senderstatus: '/index.php/api/senderstatus/',
  usersender: '/index.php/api/usersender/',
  sendsms: '/index.php/api/sendsms/',
  sendsmsMulti: '/index.php/api/sendsms_multi/',
} as const;

export const xml = { type: 'text/xml; charset=UTF-8' };
