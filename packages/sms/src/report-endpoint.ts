// `@smswire/sms/report-endpoint`: the delivery-report endpoint, its stores, and the signing of
// callback URLs it checks (docs/guides/delivery-reports.md).
export { createReportHandler } from './report-handler.js';
export type {
  ReportAnswer,
  ReportHandler,
  ReportHandlerOptions,
  ReportInput,
  ReportLogEntry,
} from './report-handler.js';
export { createReportServer, toNodeListener } from './report-server.js';
export type { DirectHandler, FetchHandler, ReportServerOptions } from './report-server.js';
export { appliedStatus, applyReport, memoryReportStore } from './report-store.js';
export type { ApplyOutcome, ReportStore } from './report-store.js';
export { fileReportStore, reportFileReader } from './file-report-store.js';
export { callbackRef, signCallbackUrl } from './callback-signing.js';
export type { CallbackSigning } from './callback-signing.js';
