import type { Adapter } from './adapter.js';
import { type CheckedMessage, outgoing } from './checked-message.js';

/** A checked message of a run: its position in the input, and `step` indexing the vendor it goes to next. */
export interface Job {
  index: number;
  message: CheckedMessage;
  step: number;
}

/** The jobs of one request to one vendor. */
export interface VendorRequest {
  adapter: Adapter;
  jobs: Job[];
}

/**
 * Jobs grouped into requests: for a vendor with a batch operation, those sharing its key, up to
 * its size, each number at most once where the reply names recipients by number; one message a
 * request otherwise.
 */
export function groupRequests(jobs: readonly Job[]): VendorRequest[] {
  const requests: VendorRequest[] = [];
  const open = new Map<string, { request: VendorRequest; numbers: Set<string> }[]>();
  for (const job of jobs) {
    const { adapter } = job.message.vendors[job.step]!;
    const batch = adapter.batch;
    if (!batch) {
      requests.push({ adapter, jobs: [job] });
      continue;
    }
    const key = `${adapter.vendor}\u0000${batch.key(outgoing(job.message, job.step))}`;
    const candidates = open.get(key) ?? [];
    open.set(key, candidates);
    let target = candidates.find(
      (c) => c.request.jobs.length < batch.size && !(batch.distinctNumbers && c.numbers.has(job.message.e164)),
    );
    if (!target) {
      target = { request: { adapter, jobs: [] }, numbers: new Set() };
      candidates.push(target);
      requests.push(target.request);
    }
    target.request.jobs.push(job);
    target.numbers.add(job.message.e164);
  }
  return requests;
}
