import type { Spec } from '../../scripts/lib/vendors.js';
import { codesOf, documentedReplies } from './clients.js';
import { elementText } from './xml-requests.js';

export interface SuccessReply {
  /** The spec's first success example, as bytes on the wire. */
  body: string;
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
  return (
    documentedReplies(spec, op)
      // The XML twins of JSON replies carry the same codes; the JSON form is the default on the wire.
      .filter(({ type }) => !(reply.xmlWhen && type === 'application/xml'))
      .map(({ example: { value } }) => ({ value, code: codeOf(spec, op, value) }))
  );
}

/** The vendor code an example reply carries, read without the client's codecs. */
function codeOf(spec: Spec, op: Spec, value: unknown): string | undefined {
  const reply = op['x-smswire-reply'];
  const codes = codesOf(spec, op);
  const text = typeof value === 'string' ? value.trim() : '';
  if (reply.codec === 'json')
    return typeof value !== 'object' || (value as Spec)[reply.status] === undefined
      ? undefined
      : String((value as Spec)[reply.status]);
  if (reply.codec === 'code') return text.replace(/^Result:\s*/i, '');
  if (reply.codec === 'pipe') return text.split(/[\r\n,|]/)[0];
  if (reply.codec === 'xml' && reply.status !== undefined) {
    const status = elementText(text, reply.status);
    if (status !== undefined) return status;
  }
  return Object.hasOwn(codes, text) ? text : undefined;
}

const isSuccess = (spec: Spec, op: Spec, code: string | undefined) =>
  code === undefined
    ? op['x-smswire-reply'].codec !== 'json' || op['x-smswire-reply'].statusOptional === true
    : codesOf(spec, op)[code]?.outcome === 'success';

/** A success reply of an operation, built from its own spec examples, for fault and load tests. */
export function successReply(spec: Spec, op: Spec): SuccessReply {
  const reply = op['x-smswire-reply'];
  const value = examplesOf(spec, op).find((e) => isSuccess(spec, op, e.code))!.value;
  switch (reply.codec) {
    case 'scalar': {
      const body = String(value);
      return { body, truncated: `${body.split('.')[0]}.` };
    }
    case 'code':
      // A code cut short is another code; a prefix without one is what a truncated reply looks like.
      return { body: String(value), truncated: 'Result:' };
    case 'xml': {
      const body = String(value);
      return { body, truncated: body.slice(0, Math.floor(body.length / 2)) };
    }
    case 'json': {
      const body = JSON.stringify(value);
      return { body, truncated: body.slice(0, Math.floor(body.length / 2)) };
    }
  }
  const body = String(value);
  const [code] = body.split(/[\r\n,]/)[0]!.split('|');
  // Cut after the code: the entry has lost its destination and message ID. (Cut after the
  // destination, `1701|<destination>|` reads as accepted without an ID: specs/unified.yaml.)
  return { body, truncated: `${code}|` };
}

export interface IdReply {
  /** The success reply with the IDs of request `n` where the spec's `x-smswire-message-id` says: `n·100 + i` for item `i` of a list. */
  withIds(n: number): string;
  /** The message IDs a decoded result holds where the declaration says. */
  idsOf(result: unknown): string[];
}

/**
 * A success reply whose message IDs can be set, at the path the operation declares in
 * `x-smswire-message-id` (`Message_ID`, `sms[].smsId`); undefined when it declares `none`.
 */
export function idReply(spec: Spec, op: Spec): IdReply | undefined {
  const declared: string = op['x-smswire-message-id'];
  if (declared === 'none') return undefined;
  const path = declared
    .split('.')
    .map((segment) => ({ name: segment.replace(/\[\]$/, ''), list: segment.endsWith('[]') }));
  const idsOf = (result: unknown) => {
    let nodes = [result];
    for (const { name, list } of path) {
      nodes = nodes.map((node) => (node as Spec)?.[name]);
      if (list) nodes = nodes.flatMap((node) => (Array.isArray(node) ? node : [node]));
    }
    return nodes.map(String);
  };
  const { body } = successReply(spec, op);
  const reply = op['x-smswire-reply'];
  if (reply.codec === 'pipe') {
    const [code, destination] = body.split(/[\r\n,]/)[0]!.split('|');
    return { withIds: (n) => `${code}|${destination}|${n * 100}`, idsOf };
  }
  if (reply.codec === 'json') {
    const value = JSON.parse(body);
    // One list at most on the way (the specs have no deeper one): item `i` gets `base + i`.
    const set = (node: Spec, at: number, id: number): void => {
      const { name, list } = path[at]!;
      const last = at === path.length - 1;
      if (!list) {
        if (last) node[name] = String(id);
        else set(node[name], at + 1, id);
      } else if (last) node[name] = node[name].map((_: unknown, i: number) => String(id + i));
      else node[name].forEach((item: Spec, i: number) => void set(item, at + 1, id + i));
    };
    return {
      withIds: (n) => {
        const copy = structuredClone(value);
        set(copy, 0, n * 100);
        return JSON.stringify(copy);
      },
      idsOf,
    };
  }
  // XML: each element named by the path's end (SMS Leads' `<shipment_id>`, which the vendor
  // leaves unclosed), in document order.
  const name = path.at(-1)!.name;
  const element = new RegExp(`<${name}>[^<]*<\\/?${name}>`, 'g');
  return {
    withIds: (n) => {
      let i = 0;
      return body.replace(element, () => `<${name}>${n * 100 + (path.some((s) => s.list) ? i++ : 0)}</${name}>`);
    },
    idsOf,
  };
}

/** The first documented error reply of an operation, if it has codes. */
export function errorReply(spec: Spec, op: Spec): string | undefined {
  const found = examplesOf(spec, op).find((e) => e.code !== undefined && !isSuccess(spec, op, e.code));
  if (!found) return undefined;
  return typeof found.value === 'string' ? found.value : JSON.stringify(found.value);
}

/** A reply to serve, and the parameter values that make the client expect its form. */
export interface CraftedReply {
  body: string;
  params?: Record<string, string> | undefined;
}

const xmlText = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** The first documented example of an operation, JSON or XML, with the request values that ask for it. */
function examplesByForm(
  spec: Spec,
  op: Spec,
  pick: (code: string | undefined) => boolean,
): { json?: unknown; xml?: string | undefined; params?: Record<string, string> | undefined } {
  const reply = op['x-smswire-reply'];
  const all = documentedReplies(spec, op);
  const json = all.find((r) => r.type === 'application/json' && pick(codeOf(spec, op, r.example.value)))?.example.value;
  // The XML twin carries the same example name as the JSON one.
  const jsonName = all.find((r) => r.type === 'application/json' && r.example.value === json)?.name;
  const xml = reply.xmlWhen
    ? all.find((r) => r.type === 'application/xml' && r.name === jsonName)?.example.value
    : all.find((r) => typeof r.example.value === 'string' && pick(codeOf(spec, op, r.example.value)))?.example.value;
  return { json, xml: typeof xml === 'string' ? xml : undefined, params: reply.xmlWhen };
}

/**
 * Replies that put `text` where the vendor's code goes (the JSON status field, the XML status
 * element, the whole body of a bare-code reply, the first field of a pipe entry) and `echo`
 * where a pipe entry's destination goes: what a vendor that quotes the request back would send.
 */
export function quotingReplies(spec: Spec, op: Spec, text: string, echo: string): CraftedReply[] {
  const reply = op['x-smswire-reply'];
  const error = (code: string | undefined) => code !== undefined && !isSuccess(spec, op, code);
  switch (reply.codec) {
    case 'json': {
      const { json, xml, params } = examplesByForm(spec, op, error);
      const base = (json ?? {}) as Spec;
      const out: CraftedReply[] = [{ body: JSON.stringify({ ...base, [reply.status]: text }) }];
      if (xml && params) out.push({ body: replaceElement(xml, reply.status, text), params });
      return out;
    }
    case 'xml': {
      if (reply.status === undefined) return [{ body: text }];
      const { xml } = examplesByForm(spec, op, error);
      return [{ body: replaceElement(xml ?? `<r><${reply.status}>1</${reply.status}></r>`, reply.status, text) }];
    }
    case 'code':
      return [{ body: text }, { body: `Result: ${text}` }];
    case 'pipe': {
      const code = String(examplesOf(spec, op).find((e) => error(e.code))?.code);
      const success = successReply(spec, op).body.split(/[\r\n,]/)[0];
      // A refusal echoing the destination, alone (an error) and next to an accepted entry (a result).
      return [{ body: text }, { body: `${code}|${echo}` }, { body: `${success},${code}|${echo}` }];
    }
    default:
      return [{ body: text }];
  }
}

function replaceElement(xml: string, element: string, text: string): string {
  const pattern = new RegExp(`<${element}>[^<]*</${element}>`);
  if (!pattern.test(xml)) throw new Error(`no <${element}> in ${xml}`);
  return xml.replace(pattern, `<${element}>${xmlText(text)}</${element}>`);
}

/** Whether the spec says the operation's replies carry a secret (an issued token or key). */
export const repliesWithSecret = (op: Spec): boolean =>
  op['x-smswire-oauth'] === 'token' || op['x-smswire-oauth'] === 'refresh' || op['x-smswire-secret-reply'] === true;

/**
 * For an operation whose success reply carries a secret: that reply broken in ways no codec
 * accepts (cut open, its status made a sentence), and the secret-looking values it holds.
 */
export function brokenSecretReplies(spec: Spec, op: Spec): { replies: CraftedReply[]; values: string[] } {
  const reply = op['x-smswire-reply'];
  const { json, xml, params } = examplesByForm(spec, op, (code) => code === undefined || isSuccess(spec, op, code));
  const replies: CraftedReply[] = [];
  const values: string[] = [];
  if (json !== undefined && reply.codec === 'json') {
    const text = JSON.stringify(json);
    replies.push(
      { body: `${text}}` },
      { body: text.slice(0, -1) },
      { body: JSON.stringify({ ...(json as Spec), [reply.status]: 'not a code at all' }) },
    );
    values.push(...stringLeaves(json));
  }
  if (xml !== undefined) {
    const form = reply.xmlWhen ? { params } : {};
    replies.push({ body: `${xml}<`, ...form }, { body: xml.replace(/<\/[^>]*>\s*$/, ''), ...form });
    if (reply.status !== undefined)
      replies.push({ body: replaceElement(xml, reply.status, 'not a code at all'), ...form });
    values.push(...[...xml.matchAll(/>([^<]+)</g)].map((m) => m[1]!.trim()));
  }
  // Long values only: short ones (`Bearer`, `1`) also occur in any error text.
  return { replies, values: [...new Set(values)].filter((v) => v.length >= 8) };
}

function stringLeaves(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (value === null || typeof value !== 'object') return [];
  return Object.values(value).flatMap(stringLeaves);
}
