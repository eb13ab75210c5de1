import type { Attributes, Meter, MetricOptions, ObservableResult } from '@opentelemetry/api';

/**
 * A monotonic sum kept in memory and read by the SDK when it collects (an observable counter):
 * the points a `Counter` would export, without the SDK hashing the attributes on every add, which
 * a counter does (about half a microsecond a send for each of them).
 */
export interface Tally {
  /** Adds `value` to the sum of the attributes whose values, in the order of the names given, are `values`. */
  add(value: number, ...values: string[]): void;
  /** Stops reporting. */
  stop(): void;
}

export function tally(meter: Meter, name: string, options: MetricOptions, names: readonly string[]): Tally {
  const sums = new Map<string, { attributes: Attributes; value: number }>();
  const counter = meter.createObservableCounter(name, options);
  const observe = (result: ObservableResult) => {
    for (const { attributes, value } of sums.values()) result.observe(value, attributes);
  };
  counter.addCallback(observe);
  return {
    add(value, ...values) {
      // No attribute value holds a NUL: vendors, encodings, outcomes and reasons are names.
      const key = values.join('\0');
      const sum = sums.get(key);
      if (sum) sum.value += value;
      else sums.set(key, { attributes: Object.fromEntries(names.map((n, i) => [n, values[i]])), value });
    },
    stop: () => counter.removeCallback(observe),
  };
}
