import type { Spec } from '../../scripts/lib/vendors.js';
import { replyExamples } from './clients.js';

export interface SuccessReply {
  /** The spec's first success example, as bytes on the wire. */
  body: string;
  /** The same reply carrying another message ID (for sends), else the body unchanged. */
  withId(id: string): string;
  /** The message ID a decoded result carries, if the operation returns one. */
  idOf(result: unknown): string | undefined;
  /** A prefix of the body that no codec may accept. */
  truncated: string;
}

/** A success reply of an operation, built from its own spec examples, for fault and load tests. */
export function successReply(spec: Spec, op: Spec): SuccessReply {
  const reply = op['x-smswire-reply'];
  const codes: Spec = op['x-smswire-codes'] ?? {};
  const examples = Object.values(replyExamples(spec, op)).map((e) => e.value);
  if (reply.codec === 'scalar') {
    const body = String(examples[0]);
    return { body, withId: () => body, idOf: () => undefined, truncated: `${body.split('.')[0]}.` };
  }
  if (reply.codec === 'json') {
    const value = examples.find((v) => codes[String(v[reply.status])]?.outcome === 'success');
    const idKey = Object.keys(value).find((k) => /message_?id/i.test(k));
    const body = JSON.stringify(value);
    return {
      body,
      withId: (id) => JSON.stringify(idKey ? { ...value, [idKey]: id } : value),
      idOf: (result) => (idKey ? (result as Record<string, string>)[idKey] : undefined),
      truncated: body.slice(0, Math.floor(body.length / 2)),
    };
  }
  const body = String(examples.find((v) => codes[String(v).split('|')[0]!]?.outcome === 'success'));
  const [code, destination] = body.split(/[\r\n,]/)[0]!.split('|');
  return {
    body,
    withId: (id) => `${code}|${destination}|${id}`,
    idOf: (result) => (result as { accepted: { messageId: string }[] }).accepted[0]?.messageId,
    // Cut after the destination: the entry has lost its message ID.
    truncated: `${code}|${destination}|`,
  };
}

/** The first documented error reply of an operation, if it has codes. */
export function errorReply(spec: Spec, op: Spec): string | undefined {
  const codes: Spec = op['x-smswire-codes'] ?? {};
  for (const example of Object.values(replyExamples(spec, op))) {
    const value = example.value;
    const code = op['x-smswire-reply'].codec === 'json' ? String(value[op['x-smswire-reply'].status]) : String(value).split(/[|,\n]/)[0]!;
    if (codes[code]?.outcome === 'error') return typeof value === 'string' ? value : JSON.stringify(value);
  }
  return undefined;
}
