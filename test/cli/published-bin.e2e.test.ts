import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleBin, external } from '../../packages/cli/build-bin.mjs';
import { root } from '../../scripts/lib/vendors.js';
import { startServer } from '../support/server.js';

const cli = join(root, 'packages', 'cli');
const manifest = JSON.parse(readFileSync(join(cli, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
const outdir = join(cli, `.published-${process.pid}`);
let bin: string;

/** The files a module imports statically (`import … from "./x.js"`), and theirs: what loads with it. */
function loadedWith(entry: string): { files: string[]; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const code = readFileSync(file, 'utf8');
    for (const [, specifier] of code.matchAll(/(?:^|[;}\s])import\s*(?:[^"'();]*?\bfrom\s*)?["']([^"']+)["']/g)) {
      if (specifier!.startsWith('./')) visit(join(dirname(file), specifier!));
      else packages.add(specifier!);
    }
  };
  visit(entry);
  return { files: [...files], packages };
}

beforeAll(async () => {
  bin = await bundleBin(outdir);
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

describe('the published bin', () => {
  it('is the bundle the build writes', () => {
    expect(manifest.bin.smswire).toBe('./dist/smswire.js');
    expect(manifest.scripts.build).toMatch(/tsc -p tsconfig\.build\.json && node build-bin\.mjs$/);
  });

  it('runs, reading its version from the package', () => {
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' }).trim()).toBe(manifest.version);
    expect(execFileSync(process.execPath, [bin, 'segments', 'hi'], { encoding: 'utf8' })).toContain('1 part');
  });

  it('builds an SMS Leads XML request, through xmlbuilder2 loaded on first use', () => {
    const args = ['send', '--vendor', 'smsleads', '--to', '+972501234567', '--text', 'Hi', '--from', 'ACME'];
    const dry = execFileSync(process.execPath, [bin, ...args, '--dry-run', '--token', 't', '--username', 'u'], {
      encoding: 'utf8',
    });
    expect(dry).toMatch(/<sms><user><username>\[REDACTED\]<\/username><\/user><source>ACME<\/source>/);
  });

  it('loads no optional peer to start: bullmq comes with the queue commands alone, from node_modules', () => {
    const start = loadedWith(bin);
    // The reading sees imports: the chunks, and the banner's node:module.
    expect(start.files.length).toBeGreaterThan(1);
    expect(start.packages.has('node:module')).toBe(true);
    for (const name of external) expect(start.packages.has(name), name).toBe(false);
    const all = readFileSync(bin, 'utf8');
    // The queue commands are chunks of their own, imported when run; one of them imports bullmq.
    const lazy = [...all.matchAll(/import\(["'](\.\/[^"']+)["']\)/g)].map(([, file]) => join(outdir, file!));
    expect(lazy.length).toBeGreaterThan(0);
    expect(lazy.some((file) => loadedWith(file).packages.has('bullmq'))).toBe(true);
  });

  it('runs a bulk of 16 requests under way at once with nothing on stderr but its own lines', async () => {
    // Unified after 20 ms, as the bench's stand-in: every vendor call of the run listens on the
    // run's signal, so 16 at once passed Node's default of 10 and it printed a leak warning.
    const server = await startServer((req, res) => {
      const numbers = (new URL(req.url ?? '', 'http://x').searchParams.get('destination') ?? '').split(',');
      req.resume();
      setTimeout(() => res.end(numbers.map((n) => `1701|${n}|m${n}`).join(',')), 20);
    });
    const dir = mkdtempSync(join(tmpdir(), 'smswire-published-'));
    try {
      const csv = join(dir, 'rows.csv');
      const rows = Array.from({ length: 3200 }, (_, i) => `+8801${700_000_000 + i},Sale,k${i}`);
      writeFileSync(csv, `to,text,id\n${rows.join('\n')}\n`);
      const args = [bin, 'bulk', csv, '--vendor', 'unified', '--base-url', server.url, '--username', 'u'];
      const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve, reject) =>
        execFile(process.execPath, [...args, '--password', 'p', '--from', 'ACME', '--json'], (error, out, err) =>
          error ? reject(Object.assign(error, { stderr: err })) : resolve({ stdout: out, stderr: err }),
        ),
      );
      expect(stdout).toContain('"accepted":3200');
      expect(stderr).toBe('');
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
