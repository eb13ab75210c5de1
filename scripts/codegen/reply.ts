import type { ParamDefinition, ReplyDefinition, XmlDefect } from '../../packages/core/src/vendor-definition.js';
import { xmlReply, xmlShape } from './shapes.js';
import { ext, need, type Operation, resolve, type Schema, type Spec, SpecError } from './spec.js';

const xmlDefects = new Set<string>(['unclosed-text', 'rootless']);
const replyKeys = ['codec', 'status', 'statusOptional', 'xmlWhen', 'negative'];

export interface Reply {
  reply: ReplyDefinition;
  /** Media type of the success reply, for the result type. */
  mediaType: string;
  /** `x-smswire-decode` fields. */
  decoded: { field: string; as: 'epoch-ms' }[];
}

/** The codec of `x-smswire-reply` and the reply's shape from the 200 response's schema. */
export function buildReply(
  spec: Spec,
  id: string,
  op: Operation,
  content: Record<string, Schema>,
  params: Record<string, ParamDefinition>,
): Reply {
  const [mediaType, media] = Object.entries(content)[0] ?? [];
  const replyExt = need(ext(op, 'x-smswire-reply'), `${id}: x-smswire-reply`);
  const stray = Object.keys(replyExt).filter((key) => !replyKeys.includes(key));
  if (stray.length) throw new SpecError(`${id}: unknown x-smswire-reply keys ${stray.join(', ')}`);
  const tolerate = ext(op, 'x-smswire-xml-tolerate');
  if (tolerate !== undefined && replyExt.codec !== 'xml')
    throw new SpecError(`${id}: x-smswire-xml-tolerate needs the xml reply codec`);
  const decoded: Reply['decoded'] = [];
  let reply: ReplyDefinition;
  let resultMedia = need(mediaType, `${id}: a 200 media type`);
  switch (replyExt.codec) {
    case 'json': {
      const raw = content['application/json']?.schema ?? media?.schema ?? {};
      const schema = resolve(spec, raw);
      for (const [field, prop] of Object.entries<Schema>(schema.properties ?? {})) {
        const as = ext(resolve(spec, prop), 'x-smswire-decode');
        if (as === undefined) continue;
        if (as !== 'epoch-ms') throw new SpecError(`${id}.${field}: unknown x-smswire-decode ${as}`);
        decoded.push({ field, as });
      }
      const status = need(replyExt.status, `${id}: x-smswire-reply.status`);
      const shape = xmlShape(spec, raw, `${id} reply`);
      reply = { codec: 'json', status, shape };
      if (replyExt.statusOptional === true) reply.statusOptional = true;
      if (decoded.length) reply.decode = Object.fromEntries(decoded.map((d) => [d.field, d.as]));
      if (replyExt.xmlWhen !== undefined) {
        const xml = need(content['application/xml'], `${id}: xmlWhen needs an application/xml reply`);
        if (!content['application/json']) throw new SpecError(`${id}: xmlWhen needs an application/json reply too`);
        for (const [name, value] of Object.entries<unknown>(replyExt.xmlWhen)) {
          if (!params[name] || typeof value !== 'string')
            throw new SpecError(`${id}: xmlWhen names ${name}, which is not a string-valued parameter`);
        }
        const xmlForm = xmlReply(spec, xml.schema ?? {}, `${id} reply`);
        // One schema for both forms is the norm: its shape is then written once.
        reply.xml = {
          when: replyExt.xmlWhen,
          ...(JSON.stringify(xmlForm.shape) === JSON.stringify(shape) ? {} : { shape: xmlForm.shape }),
          ...(xmlForm.root ? { root: xmlForm.root } : {}),
        };
        resultMedia = 'application/json';
      }
      break;
    }
    case 'xml': {
      const xml = need(content['application/xml'], `${id}: an application/xml reply`);
      const { shape, root } = xmlReply(spec, xml.schema ?? {}, `${id} reply`);
      const errorRoot = ext(spec, 'x-smswire-xml-error-root');
      reply = {
        codec: 'xml',
        shape,
        ...(root ? { root } : {}),
        ...(root && errorRoot !== undefined && errorRoot !== root && replyExt.status !== undefined
          ? { errorRoot }
          : {}),
      };
      if (replyExt.status !== undefined) reply.status = replyExt.status;
      if (tolerate !== undefined) {
        if (!Array.isArray(tolerate) || !tolerate.every((d) => xmlDefects.has(d)))
          throw new SpecError(`${id}: x-smswire-xml-tolerate lists only ${[...xmlDefects].join(', ')}`);
        reply.tolerate = tolerate;
      }
      resultMedia = 'application/xml';
      break;
    }
    case 'code':
    case 'pipe':
      reply = { codec: replyExt.codec };
      break;
    case 'scalar':
      reply = { codec: 'scalar' };
      if (replyExt.negative !== undefined) {
        if (replyExt.negative !== 'code') throw new SpecError(`${id}: x-smswire-reply.negative may only be code`);
        reply.negative = 'code';
      }
      break;
    default:
      throw new SpecError(`${id}: unknown reply codec ${(replyExt as { codec: unknown }).codec}`);
  }
  if (replyExt.negative !== undefined && reply.codec !== 'scalar')
    throw new SpecError(`${id}: x-smswire-reply.negative is only for the scalar codec`);
  return { reply, mediaType: resultMedia, decoded };
}

/**
 * A tolerated defect is one the operation's documented replies show: each listed defect appears
 * in at least one of its example replies, so a defect is read only where the vendor showed it.
 */
export function checkDefects(
  spec: Spec,
  id: string,
  tolerate: readonly XmlDefect[],
  media: { examples: Record<string, unknown> }[],
) {
  const texts = media.flatMap(({ examples }) =>
    Object.values(examples).map((raw) => String((resolve(spec, raw) as Schema).value)),
  );
  const shows: Record<XmlDefect, (text: string) => boolean> = {
    'unclosed-text': (text) => /<([A-Za-z_][\w.-]*)>[^<]*<\1>/.test(text),
    // Not one element from start to end: the first element's end is not the reply's.
    rootless: (text) => {
      const body = text.replace(/^\s*<\?xml[^>]*\?>/, '').trim();
      const first = /^<([A-Za-z_][\w.-]*)/.exec(body)?.[1];
      return first !== undefined && !body.endsWith(`</${first}>`);
    },
  };
  for (const defect of tolerate) {
    if (!texts.some((text) => shows[defect](text)))
      throw new SpecError(`${id}: x-smswire-xml-tolerate lists ${defect}, which no example reply shows`);
  }
}
