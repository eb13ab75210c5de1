import type { ParamDefinition, ReplyDefinition, XmlDefect } from '../../packages/core/src/vendor-definition.js';
import { deref, type MediaType, type Operation, type Schema, type Spec } from './model.js';
import { xmlReply, xmlShape } from './shapes.js';
import { need, SpecError } from './spec.js';

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
  op: Operation,
  content: Record<string, MediaType>,
  params: Record<string, ParamDefinition>,
): Reply {
  const { id } = op;
  const [mediaType, media] = Object.entries(content)[0] ?? [];
  const replyExt = need(op.reply, `${id}: x-smswire-reply`);
  const tolerate = op.tolerate;
  if (tolerate !== undefined && replyExt.codec !== 'xml')
    throw new SpecError(`${id}: x-smswire-xml-tolerate needs the xml reply codec`);
  const decoded: Reply['decoded'] = [];
  let reply: ReplyDefinition;
  let resultMedia = need(mediaType, `${id}: a 200 media type`);
  switch (replyExt.codec) {
    case 'json': {
      const raw: Schema = content['application/json']?.schema ?? media?.schema ?? { keywords: [] };
      const schema = deref(raw);
      for (const [field, prop] of Object.entries(schema.properties ?? {})) {
        const as = deref(prop).decode;
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
        for (const name of Object.keys(replyExt.xmlWhen)) {
          if (!params[name])
            throw new SpecError(`${id}: xmlWhen names ${name}, which is not a string-valued parameter`);
        }
        const xmlForm = xmlReply(spec, xml.schema ?? { keywords: [] }, `${id} reply`);
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
      const { shape, root } = xmlReply(spec, xml.schema ?? { keywords: [] }, `${id} reply`);
      const errorRoot = spec.xmlErrorRoot;
      reply = {
        codec: 'xml',
        shape,
        ...(root ? { root } : {}),
        ...(root && errorRoot !== undefined && errorRoot !== root && replyExt.status !== undefined
          ? { errorRoot }
          : {}),
      };
      if (replyExt.status !== undefined) reply.status = replyExt.status;
      if (tolerate !== undefined) reply.tolerate = tolerate;
      resultMedia = 'application/xml';
      break;
    }
    case 'code':
    case 'pipe':
      reply = { codec: replyExt.codec };
      break;
    case 'scalar':
      reply = { codec: 'scalar' };
      if (replyExt.negative !== undefined) reply.negative = replyExt.negative;
      break;
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
  id: string,
  tolerate: readonly XmlDefect[],
  media: { examples: Record<string, unknown> }[],
) {
  const texts = media.flatMap(({ examples }) => Object.values(examples).map(String));
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
