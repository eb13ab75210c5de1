/** The vendors the layer has adapters for, one per vendor package. */
export const vendorIds = ['dinisoft', 'dreams', 'sms365', 'smsleads', 'unified'] as const;
export type VendorId = (typeof vendorIds)[number];
