#!/usr/bin/env -S node --
// `--`: Node 20 reads an `--env-file` after the script as its own and exits 9 on a missing file
// (nodejs/node#54232); after `--` every argument is the command's, which reads the file itself.
import { main } from './main.js';

process.exitCode = await main(process.argv.slice(2));
