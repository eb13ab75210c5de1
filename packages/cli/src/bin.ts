#!/usr/bin/env -S node --
// `--`: Node 20 reads an `--env-file` after the script as its own and exits 9 on a missing file
// (nodejs/node#54232); after `--` every argument is the command's, which reads the file itself.
import { setMaxListeners } from 'node:events';
import { setFlagsFromString } from 'node:v8';
import { main } from './main.js';

// A bulk run makes garbage fast and keeps little (the rows under way), and V8 sized its heap for
// the garbage: it let the old space grow to four times what survived a full collection, and the
// young space to 16 MB halves, so a million-row run peaked above 200 MB. Growing the old space a
// fifth at a time and leaving the young space at its first size keeps it near 120 MB at the same
// rate (docs/benchmarks.md, "Flat memory"). Set here, for this process alone: `main` run in
// another program leaves that program's heap as it is.
setFlagsFromString('--heap-growing-percent=20 --semi-space-growth-factor=1');

// Every vendor call of a bulk run listens on the run's signal until it ends (core's transport
// removes its listener then), so `--concurrency` 16 passed Node's default of 10 and printed a
// leak warning to the user. A leak passes any bound; this one is above any useful concurrency.
setMaxListeners(1024);

process.exitCode = await main(process.argv.slice(2));
