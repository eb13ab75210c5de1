/**
 * How many cases a property test runs: `full` in `pnpm test`, fewer in the fast loop
 * (`pnpm test:unit` sets SMSWIRE_PROPERTY_RUNS), never more than `full`.
 */
export function runs(full: number): number {
  const cap = Number(process.env.SMSWIRE_PROPERTY_RUNS);
  return Number.isInteger(cap) && cap > 0 ? Math.min(cap, full) : full;
}
