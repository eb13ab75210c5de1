export * from './generated/client.js';
export { parseDeliveryReport, type DeliveryReport } from './callback.js';
