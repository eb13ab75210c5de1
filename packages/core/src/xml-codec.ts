/**
 * `@smswire/core/xml`: the XML codecs. A separate entry point, so that clients of vendors
 * without XML never load fast-xml-parser or xmlbuilder2; generated definitions of vendors with
 * XML hand `xmlCodec` to the client.
 */
import { buildXml } from './codecs/xml-build.js';
import { decodeXml } from './codecs/xml-decode.js';
import { parseXml, shapeXml } from './codecs/xml-reply.js';
import type { XmlCodec } from './vendor-definition.js';

export const xmlCodec: XmlCodec = {
  parse: parseXml,
  shape: shapeXml,
  build: buildXml,
  decoder: (reply) => (body, ctx) => decodeXml(body, reply, ctx),
};
export { buildXml, parseXml, shapeXml };
