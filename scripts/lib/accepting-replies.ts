/**
 * What each batching vendor answers a send it accepts whole, in its own wire format: one writer
 * for the stand-ins that accept every message (the bench's `latency-mock.ts` and the command
 * tests' `test/cli/counting-vendors.ts`). `nextId` hands out the stand-in's message IDs.
 */
export const acceptedReply = {
  /** unified.yaml SubmitReply: `1701|<destination>|<id>` per destination. */
  unified: (destinations: readonly string[], nextId: () => number) =>
    destinations.map((d) => `1701|${d}|u${nextId()}`).join(','),
  /** sms365 `POST /api/sms/send` (its `smsId`) or `/api/sms/bulk` (`sms{ smsId msisdn }` per number). */
  sms365: (path: string, numbers: readonly string[], nextId: () => number) => {
    const sms = numbers.map((msisdn) => ({ smsId: String(nextId()), msisdn }));
    return JSON.stringify(
      path === '/api/sms/send'
        ? { status: 1, error: 0, remarks: 'Success', smsId: sms[0]!.smsId, cost: 1, balance: 1000 }
        : {
            status: 1,
            error: 0,
            remarks: 'Success',
            id: sms.map((s) => s.smsId),
            sms,
            accepted: sms.length,
            rejected: 0,
            balance: 1000,
          },
    );
  },
  /** SMS Leads `POST /api`, `<sms>` and `<bulk>` alike (smsleads.txt L96–101, L143–149). */
  smsleads: (nextId: () => number) =>
    `<?xml version="1.0" encoding="UTF-8"?><sms><status>0</status><message>SMS will be sent</message><shipment_id>${nextId()}</shipment_id></sms>`,
  /** Dreams `sendsms/` and `sendsms_multi/` (dreams.txt L205, L238). */
  dreams: 'Result: Success',
};
