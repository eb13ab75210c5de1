/**
 * What an idempotency key stands for: a hash of the E.164 number, the text, the sender and the
 * time, so a key reused for another message is told apart from a repeat. 64 bits of a
 * non-cryptographic hash (two 32-bit FNV-1a lanes): it guards against mistakes, not against a
 * caller, who chooses the key anyway; and it runs wherever the package runs, synchronously.
 */
export function fingerprint(e164: string, message: { text: string; from?: string | undefined; at?: Date | undefined }) {
  const text = JSON.stringify([e164, message.text, message.from ?? null, message.at?.getTime() ?? null]);
  let a = 0x811c9dc5;
  let b = 0x050c5d1f;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x01000193) ^ (b >>> 15);
  }
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}
