import type { Capabilities } from '../src/adapter.js';

/** A stand-in adapter's capabilities: none, but those named. */
export const capabilities = (on: Partial<Capabilities> = {}): Capabilities => ({
  schedule: false,
  flash: false,
  status: false,
  balance: false,
  reports: false,
  pollReports: false,
  messageId: false,
  ...on,
});
