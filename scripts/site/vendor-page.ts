import type { CodeSample } from '../docs/code-samples.js';
import type { Spec } from '../lib/vendors.js';
import type { NavLink } from './layout.js';

/** The line of `info.description` that starts the spec authors' notes on the vendor document. */
export const notesStart = 'Judgement calls made on the vendor document:';
/** The section of the page they move to, after every operation. */
export const notesSection = 'Notes on the vendor document';

export interface VendorPage {
  packageName: string;
  /** The site's landing page and guides, linked from the top of the page. */
  links: NavLink[];
  /** By operationId, in spec order. */
  samples: Map<string, CodeSample[]>;
}

/**
 * A vendor's spec as its reference page shows it: links back to the site and how to use the
 * package first, then what the API is, and the spec authors' notes on the vendor document (the
 * judgement calls) in a section of their own after the operations: a Redoc trait tag, which is a
 * section with no operations, placed last.
 */
export function arrangeVendorPage(spec: Spec, page: VendorPage): void {
  const description = String(spec.info.description ?? '');
  const at = description.indexOf(notesStart);
  const overview = (at < 0 ? description : description.slice(0, at)).trim();
  const notes = at < 0 ? '' : description.slice(at + notesStart.length).trim();
  const lists = [...page.samples.values()];
  const usage = lists.find((list) => list.some((s) => s.label === '@smswire/sms')) ?? lists[0];
  const sample = usage?.find((s) => s.label === '@smswire/sms') ?? usage?.[0];
  spec.info.description = [
    page.links.map((link) => `[${link.label}](${link.href})`).join(' · '),
    '## Usage',
    `Install with \`npm install ${page.packageName}\` (and \`@smswire/sms\` to send through any vendor with one call). ` +
      'Every operation below has a sample for the vendor package, and where `@smswire/sms` makes the call, for it and ' +
      'for the `smswire` command; each one was run against the documented replies.',
    ...(sample ? [`\`\`\`ts\n${sample.source.trimEnd()}\n\`\`\``] : []),
    '## The API',
    overview,
    ...(notes
      ? [`The choices made where the vendor document is unclear are in the last section, ${notesSection}.`]
      : []),
  ].join('\n\n');
  if (notes)
    spec.tags = [
      ...(spec.tags ?? []),
      {
        name: notesSection,
        'x-traitTag': true,
        description: `The judgement calls made on the vendor document, which this spec, its client and its mock follow:\n\n${notes}`,
      },
    ];
}
