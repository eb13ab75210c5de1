import { finalStates, type State } from '@smswire/sms';
import { exitCodes } from './exit-codes.js';
import { openJournal, type Previous } from './journal.js';
import { openNamed } from './paths.js';
import type { Context } from './io.js';
import { statusRecord } from './reads.js';
import { buildSms, settingsFor, vendorList, type VendorFlags } from './setup.js';
import { isVendor, type VendorId } from './vendors.js';

/** States that show the vendor took the message; the rest of the final ones show it did not. */
const taken = new Set<State>(['accepted', 'scheduled', 'queued', 'sent', 'delivered', 'undelivered']);

/**
 * `smswire reconcile <journal>`: for each row whose outcome is unknown, the vendor's status read,
 * where the row has a message ID and the vendor has a status read; what it learns is appended to
 * the journal, so the next `smswire bulk` counts the row as accepted or rejected. A row with no
 * message ID (the vendor names one only in its reply, which never came) stays unknown; SMS
 * Leads rows have the one the adapter made before the request, journaled with their claim.
 */
export async function reconcileCommand(path: string, flags: VendorFlags, ctx: Context): Promise<number> {
  const { out } = ctx;
  // Appends to the journal: not while a bulk run writes it.
  const { journal, previous, release } = await openNamed('journal', path, () => openJournal(path, out.redact));
  try {
    // Only the unknown rows are held: a million-row journal is read a row at a time.
    const unknown: [string, Previous][] = [];
    for (const entry of previous) if (entry[1].status === 'unknown') unknown.push(entry);
    const vendors = new Set<VendorId>(flags.vendor ? vendorList(flags.vendor) : []);
    if (!flags.vendor)
      for (const [, p] of unknown) if (p.vendor && isVendor(p.vendor) && p.messageId) vendors.add(p.vendor);
    const settings = settingsFor([...vendors], flags, ctx);
    const sms = settings.length ? buildSms(settings, flags) : undefined;
    const capabilities = sms?.capabilities() ?? {};
    let left = 0;
    for (const [key, p] of unknown) {
      await out.drained();
      const vendor = p.vendor && isVendor(p.vendor) ? p.vendor : undefined;
      const base = { key, row: p.row, to: p.to };
      if (!vendor || !p.messageId || !capabilities[vendor]?.status) {
        left++;
        const why = !p.messageId
          ? 'no message ID: the vendor names one only in the reply that never came (SMS Leads rows carry the one they were sent with)'
          : `${vendor ?? 'the vendor'} has no status read here`;
        out.emit(
          'reconcile',
          { ...base, status: 'unknown', reason: why },
          `row ${p.row} ${p.to}: still unknown (${why})`,
        );
        continue;
      }
      const status = await sms!.status(p.messageId, { vendor });
      const known = taken.has(status.state) || finalStates.has(status.state);
      if (!known) left++;
      const verdict = !known ? 'unknown' : taken.has(status.state) ? 'accepted' : 'rejected';
      if (known)
        journal.write({
          ...base,
          status: verdict,
          vendor,
          messageId: p.messageId,
          ...(verdict === 'rejected' ? { reason: 'ambiguous', message: `status read: ${status.state}` } : {}),
          reconciled: status.state,
        });
      out.emit(
        'reconcile',
        { ...base, status: verdict, state: statusRecord(status) },
        `row ${p.row} ${p.to}: ${verdict} (the vendor says ${status.state})`,
      );
    }
    out.emit(
      'summary',
      { unknown: unknown.length, resolved: unknown.length - left, left },
      `${unknown.length - left} of ${unknown.length} unknown rows resolved; ${left} still unknown`,
    );
    return left ? exitCodes.unknown : exitCodes.done;
  } finally {
    release();
  }
}
