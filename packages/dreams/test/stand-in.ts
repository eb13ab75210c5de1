import { afterEach } from 'vitest';
import { recordingServer } from '../../../test/support/server.js';
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
  const server = await recordingServer(({ path }) => {
    const reply = replies[path];
    if (reply === undefined) return { status: 404, body: 'Not Found' };
    return typeof reply === 'string' ? { type: 'text/html; charset=UTF-8', body: reply } : reply;
  });
  servers.push(server);
  return { url: server.url, exchanges: server.exchanges };
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
