import type { ReplyDefinition, XmlShape } from '../../packages/core/src/vendor-definition.js';
import { SpecError } from './spec.js';

/** Where every pipe codec result keeps its IDs: the third field of each accepted entry. */
const pipeIds = 'accepted[].messageId';

/**
 * Checks `x-smswire-message-id`: every send declares where its success result keeps the message
 * ID, as a path into the decoded result (`messageId`, `sms[].smsId` for each item of a list), or
 * `none` when the vendor returns none. Other operations may declare one too (a status query).
 */
export function checkMessageId(
  id: string,
  kind: 'read' | 'write' | 'send',
  declared: string | undefined,
  reply: ReplyDefinition,
): void {
  if (declared === undefined) {
    if (kind === 'send') throw new SpecError(`${id}: a send needs x-smswire-message-id (a result path, or none)`);
    return;
  }
  if (declared === 'none') {
    if (kind !== 'send') throw new SpecError(`${id}: x-smswire-message-id: none is only for sends`);
    return;
  }
  const problem =
    reply.codec === 'pipe'
      ? declared === pipeIds
        ? undefined
        : `a pipe reply keeps its IDs at ${pipeIds}`
      : reply.codec === 'json' || reply.codec === 'xml'
        ? pathProblem(reply.shape, declared)
        : `a ${reply.codec} reply carries no message ID (declare none)`;
  if (problem) throw new SpecError(`${id}: x-smswire-message-id ${declared}: ${problem}`);
}

/** Why `path` does not reach a string or integer of the reply schema's shape, if it does not. */
function pathProblem(shape: XmlShape, path: string): string | undefined {
  let at = shape;
  for (const segment of path.split('.')) {
    const [, name, list] = /^([A-Za-z_][\w ]*?)(\[\])?$/.exec(segment) ?? [];
    if (name === undefined) return `${segment} is not a property name, with [] for each item of a list`;
    if (at.type !== 'object' || !Object.hasOwn(at.props, name)) return `the reply schema has no ${name} there`;
    at = at.props[name]!.shape;
    if (list) {
      if (at.type !== 'array') return `${name} is not a list`;
      at = at.items;
    }
  }
  return at.type === 'string' || at.type === 'integer' ? undefined : `${path} is not a string or an integer`;
}
