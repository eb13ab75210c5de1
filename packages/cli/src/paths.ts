import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { UsageError } from './exit-codes.js';

/**
 * `open()` of a file the user named (`--journal`, `--ledger file:`): a file system refusal
 * (a folder that does not exist, no permission) is bad input, exit 2 naming the flag and the
 * file, not a bug. Anything else is passed on.
 */
export async function openNamed<T>(flag: string, path: string, open: () => T | Promise<T>): Promise<T> {
  try {
    return await open();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const folder = dirname(path);
    if (code === 'ENOENT' && !existsSync(folder))
      throw new UsageError(`${flag} ${path}: the folder ${folder} does not exist`);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw new UsageError(`${flag} ${path}: no such file or folder`);
    if (code === 'EACCES' || code === 'EPERM') throw new UsageError(`${flag} ${path}: permission denied`);
    if (code === 'EISDIR') throw new UsageError(`${flag} ${path}: a folder, not a file`);
    throw error;
  }
}
