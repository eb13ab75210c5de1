import type { Spec } from '../../scripts/lib/vendors.js';
import { catalogOf, documentedReplies } from './clients.js';
import { elementText } from './xml-requests.js';

export interface SuccessReply {
  /** The spec's first success example, as bytes on the wire. */
  body: string;
  /** The same reply carrying another message ID (for sends), else the body unchanged. */
  withId(id: string): string;
  /** The message ID a decoded result carries, if the operation returns one. */
  idOf(result: unknown): string | undefined;
  /** Whether a success of this operation carries a message ID at all. */
  carriesId: boolean;
  /** A prefix of the body that no codec may accept. */
  truncated: string;
}

interface Example {
  value: unknown;
  /** The vendor code the example carries, read without the client's codecs; undefined for a plain success. */
  code: string | undefined;
}

/** Every example of every documented reply of an operation, with its code. */
export function examplesOf(spec: Spec, op: Spec): Example[] {
  const reply = op['x-smswire-reply'];
  const codes = catalogOf(spec, op);
  return documentedReplies(spec, op)
    // The XML twins of JSON replies carry the same codes; the JSON form is the default on the wire.
    .filter(({ type }) => !(reply.xmlWhen && type === 'application/xml'))
    .map(({ example: { value } }) => {
      const text = typeof value === 'string' ? value.trim() : '';
      if (reply.codec === 'json') return { value, code: (value as Spec)[reply.status] === undefined ? undefined : String((value as Spec)[reply.status]) };
      if (reply.codec === 'code') return { value, code: text.replace(/^Result:\s*/i, '') };
      if (reply.codec === 'pipe') return { value, code: text.split(/[\r\n,|]/)[0] };
      if (reply.codec === 'xml' && reply.status !== undefined) {
        const status = elementText(text, reply.status);
        if (status !== undefined) return { value, code: status };
      }
      return { value, code: Object.hasOwn(codes, text) ? text : undefined };
    });
}

const isSuccess = (spec: Spec, op: Spec, code: string | undefined) =>
  code === undefined ? op['x-smswire-reply'].codec !== 'json' || op['x-smswire-reply'].statusOptional === true : catalogOf(spec, op)[code]?.outcome === 'success';

/** A success reply of an operation, built from its own spec examples, for fault and load tests. */
export function successReply(spec: Spec, op: Spec): SuccessReply {
  const reply = op['x-smswire-reply'];
  const value = examplesOf(spec, op).find((e) => isSuccess(spec, op, e.code))!.value;
  switch (reply.codec) {
    case 'scalar': {
      const body = String(value);
      return { body, withId: () => body, idOf: () => undefined, carriesId: false, truncated: `${body.split('.')[0]}.` };
    }
    case 'code':
      // A code cut short is another code; a prefix without one is what a truncated reply looks like.
      return { body: String(value), withId: () => String(value), idOf: () => undefined, carriesId: false, truncated: 'Result:' };
    case 'xml': {
      const body = String(value);
      // An ID element (SMS Leads' `<shipment_id>`, which the vendor leaves unclosed) carries the ID.
      const idElement = /<(shipment_id|message_?id)>[^<]*<\/?\1>/i.exec(body);
      return {
        body,
        withId: (id) => (idElement ? body.replace(idElement[0], `<${idElement[1]}>${id}</${idElement[1]}>`) : body),
        idOf: (result) => (idElement ? String((result as Record<string, unknown>)[idElement[1]!]) : undefined),
        carriesId: idElement !== null,
        truncated: body.slice(0, Math.floor(body.length / 2)),
      };
    }
    case 'json': {
      const idKey = Object.keys(value as Spec).find((k) => /message_?id|^smsId$/i.test(k));
      const body = JSON.stringify(value);
      return {
        body,
        withId: (id) => JSON.stringify(idKey ? { ...(value as Spec), [idKey]: id } : value),
        idOf: (result) => (idKey ? String((result as Record<string, unknown>)[idKey]) : undefined),
        carriesId: idKey !== undefined,
        truncated: body.slice(0, Math.floor(body.length / 2)),
      };
    }
  }
  const body = String(value);
  const [code, destination] = body.split(/[\r\n,]/)[0]!.split('|');
  return {
    body,
    withId: (id) => `${code}|${destination}|${id}`,
    idOf: (result) => (result as { accepted: { messageId: string }[] }).accepted[0]?.messageId,
    carriesId: true,
    // Cut after the destination: the entry has lost its message ID.
    truncated: `${code}|${destination}|`,
  };
}

/** The first documented error reply of an operation, if it has codes. */
export function errorReply(spec: Spec, op: Spec): string | undefined {
  const found = examplesOf(spec, op).find((e) => e.code !== undefined && !isSuccess(spec, op, e.code));
  if (!found) return undefined;
  return typeof found.value === 'string' ? found.value : JSON.stringify(found.value);
}
