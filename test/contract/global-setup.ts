import type { TestProject } from 'vitest/node';
import { startMock, type RunningMock } from '../../scripts/lib/mock.js';
import { listVendors } from '../../scripts/lib/vendors.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Prism base URL per vendor id. */
    mocks: Record<string, string>;
  }
}

let running: RunningMock[] = [];

/** One Prism per spec, on free 127.0.0.1 ports, for the whole run. */
export async function setup(project: TestProject) {
  running = await Promise.all(listVendors().map((vendor) => startMock(vendor)));
  project.provide('mocks', Object.fromEntries(running.map((m) => [m.vendor, m.url])));
}

export async function teardown() {
  await Promise.all(running.map((m) => m.stop()));
}
