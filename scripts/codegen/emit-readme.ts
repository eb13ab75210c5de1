import type { VendorDefinition } from '../../packages/core/src/vendor-definition.js';
import { list } from './emit-client.js';
import { SpecError } from './spec.js';

export const retriesStart =
  '<!-- retries: written by `pnpm generate` from x-smswire-kind and the catalog; do not edit -->';
export const retriesEnd = '<!-- /retries -->';

/** Which operations retry, as the spec's `x-smswire-kind` says, and the codes marked safe to retry. */
export function retriesBlock(definition: VendorDefinition): string {
  const ops = Object.entries(definition.operations);
  const reads = ops.filter(([, op]) => op.kind === 'read').map(([id]) => id);
  const writes = ops.filter(([, op]) => op.kind === 'write').map(([id]) => id);
  const retryable = [
    ...new Set(
      ops.flatMap(([, op]) =>
        Object.entries(op.codes)
          .filter(([, c]) => c.retryable)
          .map(([code]) => code),
      ),
    ),
  ];
  return [
    retriesStart,
    '',
    `- Reads, retried on connection errors, timeouts, 408, 429 and 5xx: ${reads.length ? list(reads) : 'none'}.`,
    `- Writes, retried only when nothing can have reached the vendor or the code is safe to retry: ${writes.length ? list(writes) : 'none'}.`,
    `- Codes documented as safe to retry: ${retryable.length ? list(retryable) : 'none'}.`,
    '',
    retriesEnd,
  ].join('\n');
}

/** The README with its retries block rewritten from the spec. */
export function withRetries(readme: string, definition: VendorDefinition, file: string): string {
  const start = readme.indexOf(retriesStart);
  const end = readme.indexOf(retriesEnd);
  if (start === -1 || end < start)
    throw new SpecError(
      `${file} needs the generated retries block under "## Retries":\n${retriesStart}\n${retriesEnd}`,
    );
  return readme.slice(0, start) + retriesBlock(definition) + readme.slice(end + retriesEnd.length);
}
