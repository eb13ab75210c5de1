/** The optional peers left out of the published bin (build-bin.mjs). */
export declare const external: string[];
/** Bundles the published bin into `outdir` (one folder below package.json); resolves to its entry. */
export declare function bundleBin(outdir?: string): Promise<string>;
