/**
 * `@smswire/core/oauth`: OAuth2 client-credentials tokens. An entry of its own, so that only
 * clients of vendors with token endpoints load it; their generated definitions hand `oauth` to
 * the client.
 */
import { ParseError } from './errors.js';
import type { CallInit, OAuthSupport, OperationDefinition, TokenManager } from './vendor-definition.js';

/** The fields of an OAuth2 token reply the manager reads (RFC 6749 §5.1). */
interface TokenReply {
  access_token?: unknown;
  expires_in?: unknown;
  refresh_token?: unknown;
}

type TokenCall = (params: Record<string, unknown>, init?: CallInit) => Promise<unknown>;

export interface TokenEndpoints {
  token: TokenCall;
  refresh?: TokenCall | undefined;
  revoke?: TokenCall | undefined;
}

/** Refresh this long before the server's expiry, so a token never expires in flight. */
const expirySkewMs = 30_000;

/**
 * Client-credentials tokens for a vendor's OAuth2 endpoints. Concurrent calls share one request
 * for a new token; a token is refreshed (with its refresh token when there is one) before it
 * expires or after the API refused it.
 */
export function createTokenManager(
  vendor: string,
  endpoints: TokenEndpoints,
  /** Told every token received, so errors and logs can hide it like a credential. */
  onSecret: (secret: string) => void,
  now: () => number = Date.now,
): TokenManager {
  type Held = { access: string; refresh?: string | undefined; expiresAt: number };
  let current: Held | undefined;
  let pending: Promise<string> | undefined;
  /** The token or refresh request on its way, if any; a revoke takes it over (and revokes what it brings). */
  let requesting: Promise<Held> | undefined;

  async function request(previous: Held | undefined): Promise<Held> {
    let reply: TokenReply | undefined;
    if (previous?.refresh && endpoints.refresh) {
      // A refused refresh token falls back to the client credentials.
      reply = (await endpoints.refresh({ refresh_token: previous.refresh }).catch(() => undefined)) as
        | TokenReply
        | undefined;
    }
    reply ??= (await endpoints.token({})) as TokenReply;
    if (typeof reply.access_token !== 'string' || reply.access_token === '') {
      throw new ParseError({ vendor, operation: 'token', reason: 'the token reply has no access_token', body: '' });
    }
    const lifetime = typeof reply.expires_in === 'number' && reply.expires_in > 0 ? reply.expires_in * 1000 : 3_600_000;
    onSecret(reply.access_token);
    if (typeof reply.refresh_token === 'string') onSecret(reply.refresh_token);
    return {
      access: reply.access_token,
      refresh: typeof reply.refresh_token === 'string' ? reply.refresh_token : previous?.refresh,
      expiresAt: now() + Math.max(lifetime - expirySkewMs, lifetime / 2),
    };
  }

  async function fetchToken(): Promise<string> {
    const next = request(current);
    requesting = next;
    const held = await next;
    // Revoked while on its way: `revoke` revokes it, and the callers get a newer one.
    if (requesting !== next) return fetchToken();
    requesting = undefined;
    current = held;
    return held.access;
  }

  return {
    get(init) {
      if (current && now() < current.expiresAt) return Promise.resolve(current.access);
      // The shared request carries no caller's signal: one caller giving up must not fail the
      // others (each token call still has the client's per-attempt timeout). Its outcome, a
      // token or a failure, is every waiting caller's; the next caller after it tries again.
      pending ??= fetchToken().finally(() => (pending = undefined));
      return init?.signal ? abortable(pending, init.signal) : pending;
    },
    invalidate(token) {
      if (current?.access === token) current = { ...current, expiresAt: 0 };
    },
    async revoke(init) {
      const held = current;
      const arriving = requesting;
      current = requesting = undefined;
      // A token requested before the revoke is revoked too, once it arrives.
      for (const tokens of [held, await arriving?.catch(() => undefined)]) {
        if (!tokens || !endpoints.revoke) continue;
        if (tokens.refresh) await endpoints.revoke({ token: tokens.refresh }, init);
        await endpoints.revoke({ token: tokens.access }, init);
      }
    },
  };
}

/** A token manager when the vendor has an OAuth2 token endpoint and its credentials were given. */
export const oauth: OAuthSupport = (definition, has, call, onSecret, now) => {
  const find = (role: OperationDefinition['oauth']) =>
    Object.keys(definition.operations).find((id) => definition.operations[id]!.oauth === role);
  const token = find('token');
  if (!token || !definition.operations[token]!.security.every(has)) return undefined;
  const endpoint = (id: string | undefined) =>
    id ? (params: Record<string, unknown>, init?: CallInit) => call(id, params, init) : undefined;
  return createTokenManager(
    definition.vendor,
    { token: endpoint(token)!, refresh: endpoint(find('refresh')), revoke: endpoint(find('revoke')) },
    onSecret,
    now,
  );
};

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
