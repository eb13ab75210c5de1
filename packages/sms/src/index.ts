export { gsm7Alphabet, isGsm7, segments } from './segments.js';
export type { Encoding, SegmentOptions, Segments } from './segments.js';
export { normalizeNumber, wireNumber } from './numbers.js';
export type { CountryCode, NumberOptions, NumberWarning } from './numbers.js';
export { vendorIds } from './vendors.js';
export type { VendorId } from './vendors.js';
