import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildDefinition } from '../codegen/build-definition.js';
import { resolve } from '../codegen/spec.js';
import { loadSpec, type Spec, type Vendor } from './vendors.js';

/**
 * A spec may give one URL several operations, told apart by the XML root element of the body
 * (SMS Leads): each is a path item `/url#command`, and the fragment is never sent. Prism routes
 * by path alone, so such a vendor's mock is Prism behind a small dispatcher that reads the root
 * element and forwards to `/url%23command`, which Prism matches to that path item.
 */
export function dispatchTable(vendor: Vendor): Map<string, string> | undefined {
  const { definition } = buildDefinition(vendor.id, loadSpec(vendor));
  const table = new Map<string, string>();
  for (const op of Object.values(definition.operations)) {
    if (op.path.includes('#') && op.xml)
      table.set(`${op.path.replace(/#.*/, '')} ${op.xml.root}`, op.path.replace('#', '%23'));
  }
  return table.size ? table : undefined;
}

/**
 * The spec Prism serves: the same, but with XML request bodies typed as text. Prism reads an XML
 * body as a string and would refuse every request against an object schema; the contract tests
 * check the XML against the real schema instead.
 */
export function prismSpec(vendor: Vendor): { path: string; cleanup(): void } {
  const spec = loadSpec(vendor);
  for (const item of Object.values<Spec>(spec.paths ?? {})) {
    const body = item.post?.requestBody && resolve(spec, item.post.requestBody);
    const xml = body?.content?.['application/xml'];
    if (xml) xml.schema = { type: 'string' };
  }
  const dir = mkdtempSync(join(tmpdir(), `smswire-${vendor.id}-`));
  const path = join(dir, `${vendor.id}.yaml`);
  writeFileSync(path, stringify(spec));
  return { path, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The name of an XML document's first element, after any XML declaration. */
export function rootElement(xml: string): string | undefined {
  return /^\s*(?:<\?xml[^>]*\?>\s*)?<([A-Za-z_][\w.-]*)/.exec(xml)?.[1];
}

/** Listens on `port` and forwards every request to Prism on `target`, routed by its XML root. */
export function startDispatcher(table: Map<string, string>, port: number, target: number): Promise<Server> {
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const [path = '/', query] = (incoming.url ?? '/').split('?');
      const root = rootElement(body.toString('utf8'));
      const routed = (root && table.get(`${path} ${root}`)) ?? path;
      const forward = request(
        {
          host: '127.0.0.1',
          port: target,
          method: incoming.method,
          path: query === undefined ? routed : `${routed}?${query}`,
          headers: incoming.headers,
        },
        (reply) => {
          outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
          reply.pipe(outgoing);
        },
      );
      forward.on('error', () => outgoing.destroy());
      forward.end(body);
    });
  });
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, '127.0.0.1', () => done(server));
  });
}
