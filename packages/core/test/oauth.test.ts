import { describe, expect, it } from 'vitest';
import { ParseError } from '../src/errors.js';
import { createTokenManager } from '../src/oauth.js';

function endpoints() {
  const calls: string[] = [];
  let n = 0;
  return {
    calls,
    secrets: [] as string[],
    token: async () => {
      calls.push('token');
      return { access_token: `access-${++n}`, expires_in: 3600, refresh_token: `refresh-${n}` };
    },
    refresh: async (p: Record<string, unknown>) => {
      calls.push(`refresh ${String(p.refresh_token)}`);
      return { access_token: `access-${++n}`, expires_in: 3600 };
    },
    revoke: async (p: Record<string, unknown>) => void calls.push(`revoke ${String(p.token)}`),
  };
}

describe('OAuth2 token manager', () => {
  it('shares one token request among concurrent callers and caches the token until shortly before expiry', async () => {
    const e = endpoints();
    let now = 0;
    const tokens = createTokenManager(
      'acme',
      e,
      (s) => e.secrets.push(s),
      () => now,
    );
    expect(await Promise.all(Array.from({ length: 20 }, () => tokens.get()))).toEqual(Array(20).fill('access-1'));
    expect(e.calls).toEqual(['token']);
    expect(e.secrets).toEqual(['access-1', 'refresh-1']);
    now = 3_500_000;
    expect(await tokens.get()).toBe('access-1');
    now = 3_580_000; // inside the 30 s before expiry
    expect(await Promise.all([tokens.get(), tokens.get()])).toEqual(['access-2', 'access-2']);
    expect(e.calls).toEqual(['token', 'refresh refresh-1']);
  });

  it('fetches a new token after the API refused the current one, and falls back to the credentials when a refresh fails', async () => {
    const e = endpoints();
    const tokens = createTokenManager(
      'acme',
      { ...e, refresh: async () => Promise.reject(new Error('invalid_grant')) },
      () => undefined,
    );
    const first = await tokens.get();
    tokens.invalidate('not-the-current-one');
    expect(await tokens.get()).toBe(first);
    tokens.invalidate(first);
    expect(await tokens.get()).toBe('access-2');
    expect(e.calls).toEqual(['token', 'token']);
  });

  it('revokes the refresh and access tokens it holds and forgets them', async () => {
    const e = endpoints();
    const tokens = createTokenManager('acme', e, () => undefined);
    await tokens.revoke();
    expect(e.calls).toEqual([]);
    await tokens.get();
    await tokens.revoke();
    await tokens.get();
    expect(e.calls).toEqual(['token', 'revoke refresh-1', 'revoke access-1', 'token']);
  });

  it('refuses a token reply without an access token, and lets the next caller try again', async () => {
    let replies = 0;
    const tokens = createTokenManager(
      'acme',
      { token: async () => (replies++ === 0 ? { token_type: 'Bearer' } : { access_token: 'ok' }) },
      () => undefined,
    );
    await expect(tokens.get()).rejects.toBeInstanceOf(ParseError);
    expect(await tokens.get()).toBe('ok');
  });

  it('shares one failed token request among concurrent callers; the next caller tries again', async () => {
    let requests = 0;
    const tokens = createTokenManager(
      'acme',
      { token: async () => (++requests === 1 ? Promise.reject(new Error('down')) : { access_token: 'ok' }) },
      () => undefined,
    );
    const outcomes = await Promise.all(Array.from({ length: 20 }, () => tokens.get().catch((e: unknown) => e)));
    expect(new Set(outcomes.map((e) => (e as Error).message))).toEqual(new Set(['down']));
    expect(requests).toBe(1);
    expect(await tokens.get()).toBe('ok');
    expect(requests).toBe(2);
  });

  it('revokes a token that arrives after a revoke was asked for, and never hands it out', async () => {
    const e = endpoints();
    let arrive: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (arrive = resolve));
    const token = async () => {
      const reply = await e.token();
      if (reply.access_token === 'access-1') await held;
      return reply;
    };
    const tokens = createTokenManager('acme', { ...e, token }, () => undefined);
    const waiting = tokens.get();
    const revoked = tokens.revoke();
    arrive();
    await revoked;
    expect(e.calls.filter((c) => c.startsWith('revoke'))).toEqual(['revoke refresh-1', 'revoke access-1']);
    // The waiting caller gets a token requested after the revoke.
    expect(await waiting).toBe('access-2');
    expect(await tokens.get()).toBe('access-2');
    expect(e.calls.filter((c) => c === 'token')).toHaveLength(2);
  });
});
