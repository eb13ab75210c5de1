/**
 * What `redocly build-docs` prints, less the notices that say nothing about our pages, so the docs
 * build prints only what needs reading. Anything else it prints is passed on, and all of it when
 * it fails.
 *
 * - "Deprecation warning: Node.js 20 support is ending" (Redocly CLI 2.x on Node 20): the packages
 *   support Node >= 20.19 and CI builds the docs on Node 20; Redocly is pinned (package.json), and
 *   the notice is about its future releases, which the bump that takes one will meet.
 * - "build-docs now renders docs with Redoc 3": the site is built for Redoc 3 (its theme is read
 *   from the page Redoc 3 writes, and test/docs/browser.e2e.test.ts checks the pages it renders).
 * - "Found redocly.yaml…", "Prerendering docs", "bundled successfully…": progress; the build
 *   prints its own `docs: <page>` line for each page.
 */
const known = [
  /Deprecation warning: Node\.js 20 support is ending/,
  /build-docs now renders docs with Redoc 3/,
] as const;
const progress = [
  /^Found redocly\.yaml and using '\w+' options$/,
  /^Prerendering docs$/,
  /bundled successfully in: /,
] as const;

export function redoclyOutput(stderr: string): string {
  const kept: string[] = [];
  let banner: string[] | undefined;
  for (const line of stderr.split('\n')) {
    const text = line.trim();
    if (text.startsWith('╔')) banner = [line];
    else if (banner) {
      banner.push(line);
      if (text.startsWith('╚')) {
        const words = banner
          .join(' ')
          .replace(/[║═╔╗╚╝]/g, ' ')
          .replace(/\s+/g, ' ');
        if (!known.some((notice) => notice.test(words))) kept.push(...banner);
        banner = undefined;
      }
    } else if (text !== '' && !progress.some((p) => p.test(text))) kept.push(line);
  }
  if (banner) kept.push(...banner);
  return kept.length ? `${kept.join('\n')}\n` : '';
}
