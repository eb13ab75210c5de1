#!/usr/bin/env node
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

// V8 lets a heap grow to up to four times what survived its last full collection before it
// collects again. A bulk run makes garbage fast and keeps little (the rows under way), so it
// went to 200 MB and more; growing a fifth at a time keeps a million-row run under 160 MB
// (docs/benchmarks.md, "Flat memory"). Set here, for this process alone: `main` run in
// another program leaves that program's heap as it is.
setFlagsFromString('--heap-growing-percent=20');

process.exitCode = await main(process.argv.slice(2));
