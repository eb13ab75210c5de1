import { getEventListeners } from 'node:events';

/**
 * What a signal holds for others: its `abort` listeners, plus the signals `AbortSignal.any`
 * made from it, which Node 20 keeps in an internal set for as long as the signal lives
 * (nodejs/node#55351). A long-lived signal passed to every call must hold nothing per call.
 */
export function heldBy(signal: AbortSignal): number {
  const dependants = Object.getOwnPropertySymbols(signal).find((symbol) => symbol.description === 'kDependantSignals');
  const set =
    dependants === undefined ? undefined : (signal as unknown as Record<symbol, Set<unknown> | undefined>)[dependants];
  return getEventListeners(signal, 'abort').length + (set?.size ?? 0);
}
