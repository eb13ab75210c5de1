import type { vendorIds } from './generated/vendor-ids.js';

// The vendors the layer has adapters for, one per spec: written by `pnpm generate`, not kept by hand.
export { vendorIds } from './generated/vendor-ids.js';
export type VendorId = (typeof vendorIds)[number];
