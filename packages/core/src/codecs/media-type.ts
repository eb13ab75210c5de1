import type { ReplyDefinition } from '../vendor-definition.js';

type JsonReply = Extract<ReplyDefinition, { codec: 'json' }>;

/** The form a two-form reply is asked for in (Prism, and honest servers, pick it by `Accept`); one form needs no asking. */
export function jsonMediaType(reply: JsonReply, params: Readonly<Record<string, unknown>>): string | undefined {
  if (!reply.xml) return undefined;
  return wantsXml(reply.xml.when, params) ? 'application/xml' : 'application/json';
}

/** Whether the request asked for the XML form of the reply (sms365's `type=xml`). */
export function wantsXml(when: Readonly<Record<string, string>>, params: Readonly<Record<string, unknown>>): boolean {
  return Object.entries(when).every(([name, value]) => params[name] === value);
}
