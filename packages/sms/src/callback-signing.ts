import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { ValidationError } from '@smswire/core/errors';

/**
 * How each message's callback URL is signed. sms365 cannot sign its own requests (it only
 * appends `msgid, status, cost, to, mcc, mnc` to the URL you give, sms365.txt L562–566), so the
 * URL itself is the capability: it carries a key id, a reference to the message, an expiry and
 * an HMAC-SHA256 over those three, made with a secret only you hold. Like Standard Webhooks'
 * `v1,<signature>` and Stripe's `v1=`, the signed text is versioned and several secrets can be
 * accepted at once, so one can be retired while the URLs it signed are still out.
 */
export interface CallbackSigning {
  /** Your endpoint, e.g. `https://example.com/sms365/report`; its own query is kept. */
  url: string;
  /** Names the secret that signs (letters, digits, `_`, `-`; at most 32), so the endpoint can hold several. */
  keyId: string;
  /** At least 32 characters; keep it out of code (an environment variable, a secret store). */
  secret: string;
  /** How long a report may arrive after the send; default 7 days (a message's validity period is at most that). */
  ttlSeconds?: number | undefined;
}

/** The query parameters a signed URL adds; none is one sms365 appends. */
export const signedParams = { keyId: 'sw_kid', ref: 'sw_ref', expires: 'sw_exp', signature: 'sw_sig' } as const;

const defaultTtl = 7 * 24 * 3600;
const keyIdPattern = /^[\w-]{1,32}$/;
const refPattern = /^[\w-]{1,64}$/;
const signaturePattern = /^[\w-]{43}$/;

function configError(path: string, message: string): ValidationError {
  return new ValidationError({ vendor: 'sms365', operation: 'callback', issues: [{ path, message }] });
}

/** Checks a key id and its secret; the error names what is wrong, never the secret. */
export function checkSecret(keyId: string, secret: string): void {
  if (!keyIdPattern.test(keyId)) throw configError('keyId', 'must be 1–32 letters, digits, _ or -');
  if (typeof secret !== 'string' || secret.length < 32)
    throw configError(`secrets.${keyId}`, 'must be at least 32 characters');
}

/**
 * The reference a signed URL carries for a message: a digest of its idempotency key, so the
 * key itself (perhaps an order number) never reaches the vendor, and a send repeated under the
 * same key gets the same URL.
 */
export function callbackRef(idempotencyKey: string): string {
  return createHash('sha256').update(idempotencyKey).digest('base64url').slice(0, 22);
}

const mac = (secret: string, keyId: string, ref: string, expires: string) =>
  createHmac('sha256', secret).update(`smswire-callback.v1.${keyId}.${ref}.${expires}`).digest();

/** Checks a signing configuration as a whole, so that an adapter refuses a bad one when it is made. */
export function checkSigning(signing: CallbackSigning): URL {
  checkSecret(signing.keyId, signing.secret);
  const ttl = signing.ttlSeconds ?? defaultTtl;
  if (!(Number.isInteger(ttl) && ttl > 0))
    throw configError('ttlSeconds', 'must be a whole number of seconds, at least 1');
  try {
    return new URL(signing.url);
  } catch {
    throw configError('url', 'is not an absolute URL');
  }
}

/** The callback URL of one message: `signing.url` with its key id, reference, expiry and signature. */
export function signCallbackUrl(signing: CallbackSigning, idempotencyKey: string, now = Date.now()): string {
  const url = checkSigning(signing);
  const ref = callbackRef(idempotencyKey);
  const expires = String(Math.floor(now / 1000) + (signing.ttlSeconds ?? defaultTtl));
  url.searchParams.set(signedParams.keyId, signing.keyId);
  url.searchParams.set(signedParams.ref, ref);
  url.searchParams.set(signedParams.expires, expires);
  url.searchParams.set(signedParams.signature, mac(signing.secret, signing.keyId, ref, expires).toString('base64url'));
  return url.href;
}

export type Verdict =
  | { ok: true; ref: string }
  | { ok: false; reason: 'unsigned' | 'unknownKey' | 'badSignature' | 'expired' };

/**
 * Checks the signature a report's URL carries against `secrets` (key id → secret). The
 * signature is compared in constant time; the expiry only after the signature holds, so a
 * forged URL learns nothing from the answer. Each parameter must appear exactly once.
 */
export function verifyCallback(
  query: URLSearchParams,
  secrets: ReadonlyMap<string, string>,
  now = Date.now(),
): Verdict {
  const one = (name: string) => {
    const all = query.getAll(name);
    return all.length === 1 ? all[0]! : undefined;
  };
  const keyId = one(signedParams.keyId);
  const ref = one(signedParams.ref);
  const expires = one(signedParams.expires);
  const signature = one(signedParams.signature);
  if (!keyId || !ref || !expires || !signature) return { ok: false, reason: 'unsigned' };
  if (!refPattern.test(ref) || !/^[0-9]{1,12}$/.test(expires) || !signaturePattern.test(signature))
    return { ok: false, reason: 'badSignature' };
  const secret = secrets.get(keyId);
  if (secret === undefined) return { ok: false, reason: 'unknownKey' };
  const given = Buffer.from(signature, 'base64url');
  const expected = mac(secret, keyId, ref, expires);
  // 43 base64url characters decode to 32 bytes, but a last character with stray low bits still
  // decodes: compare the text too so that only the one spelling is accepted.
  if (
    given.length !== expected.length ||
    !timingSafeEqual(given, expected) ||
    given.toString('base64url') !== signature
  )
    return { ok: false, reason: 'badSignature' };
  if (Number(expires) * 1000 < now) return { ok: false, reason: 'expired' };
  return { ok: true, ref };
}
