// Preloaded into a spawned `smswire` (NODE_OPTIONS=--import) to give it a full disk without root:
// writes to files under SMSWIRE_TEST_DISK share SMSWIRE_TEST_DISK_BYTES bytes; the write that
// crosses the limit writes what fits and returns the short count, as write(2) does on a full
// disk, and every write after it fails with ENOSPC. Lock files (`*.lock*`) are left out: what is
// under test is the journal's and the ledger's writes once the run holds its locks.
import fs from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import { resolve } from 'node:path';

const dir = process.env.SMSWIRE_TEST_DISK;
let left = Number(process.env.SMSWIRE_TEST_DISK_BYTES ?? 'Infinity');
if (dir) {
  const root = resolve(dir);
  const onDisk = new Set();
  const { openSync, writeSync, closeSync } = fs;
  fs.openSync = (path, ...rest) => {
    const fd = openSync(path, ...rest);
    if (typeof path === 'string' && resolve(path).startsWith(root) && !path.includes('.lock')) onDisk.add(fd);
    return fd;
  };
  fs.closeSync = (fd) => {
    onDisk.delete(fd);
    return closeSync(fd);
  };
  fs.writeSync = (fd, data, ...rest) => {
    if (!onDisk.has(fd)) return writeSync(fd, data, ...rest);
    let buffer = typeof data === 'string' ? Buffer.from(data, typeof rest[1] === 'string' ? rest[1] : 'utf8') : data;
    if (typeof data !== 'string' && typeof rest[0] === 'number') {
      const offset = rest[0];
      const length = typeof rest[1] === 'number' ? rest[1] : buffer.length - offset;
      buffer = buffer.subarray(offset, offset + length);
    }
    if (left <= 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' });
    const part = buffer.subarray(0, Math.min(buffer.length, left));
    const wrote = writeSync(fd, part);
    left -= wrote;
    return wrote;
  };
  syncBuiltinESMExports();
}
