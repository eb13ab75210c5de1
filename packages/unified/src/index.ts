import type { CallInit, PipeResult, PreparedRequest, PrepareInit } from '@smswire/core';
import {
  createClient as createOperationsClient,
  type UnifiedClient as OperationsClient,
  type UnifiedOptions,
} from './generated/client.js';
import type { SchedulemsgParams } from './generated/operations.js';
import { definition } from './generated/definition.js';
import { formatSchedule } from './schedule.js';

// The generated client, less the two names this file gives a Date-taking `schedulemsg`.
export * from './generated/client.js';
export { formatSchedule, type ScheduleFields } from './schedule.js';

type MessageParams = Omit<SchedulemsgParams, 'date' | 'time' | 'gmt'>;

/**
 * `schedulemsg` takes either a JS Date (`at`, formatted as wall-clock time at `gmt`, default
 * `+00:00`) or the vendor's own `date`, `time` and `gmt` strings.
 */
export type ScheduleParams =
  | (MessageParams & { at: Date; gmt?: string; date?: never; time?: never })
  | (SchedulemsgParams & { at?: never });

export type UnifiedClient = Omit<OperationsClient, 'schedulemsg' | 'prepare'> & {
  /**
   * Schedule an SMS for later delivery. Give `at` (a Date) and optionally `gmt` (`+05:30`), or the
   * vendor's raw `date` (`MM/DD/YYYY`), `time` (`hh:mm am`) and `gmt`.
   * Write: never retried once it may have reached the vendor, except on code 1709.
   */
  schedulemsg(params: ScheduleParams, init?: CallInit): Promise<PipeResult>;
  /** Each operation's request, not sent; `schedulemsg` takes `at` as the method does. */
  prepare: Omit<OperationsClient['prepare'], 'schedulemsg'> & {
    schedulemsg(params: ScheduleParams, init?: PrepareInit): Promise<PreparedRequest>;
  };
};

/** A Unified Communications client: `bulksms` and `schedulemsg`. `baseUrl` is required. */
export function createClient(options: UnifiedOptions): UnifiedClient {
  const client = createOperationsClient(options);
  return {
    ...client,
    // Async, so that a bad `at` rejects like every other bad argument instead of throwing.
    schedulemsg: async (params, init) => client.schedulemsg(withSchedule(params), init),
    prepare: {
      ...client.prepare,
      schedulemsg: async (params, init) => client.prepare.schedulemsg(withSchedule(params), init),
    },
  };
}

/** `schedulemsg`'s parameters with `at` and `gmt` written as the vendor's `date`, `time` and `gmt`. */
function withSchedule(params: ScheduleParams): SchedulemsgParams {
  // Anything but an object with `at` is core's to judge (`[].at` is a method, not a Date).
  if (typeof params !== 'object' || params === null || Array.isArray(params) || params.at === undefined)
    return params as SchedulemsgParams;
  const { at, gmt, ...own } = params;
  // Each parameter read as core reads it (a prototype's or a getter's counts), not only own ones.
  const message: Record<string, unknown> = { ...own };
  for (const name in definition.operations.schedulemsg!.params)
    message[name] ??= (params as Record<string, unknown>)[name];
  return { ...message, ...formatSchedule(at, gmt) } as SchedulemsgParams;
}
