import { posix } from 'node:path';
import { Marked } from 'marked';

/** GitHub's heading anchors, so links such as `#sending-many` keep working on the page. */
export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/<[^>]*>/g, '')
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

/**
 * Markdown as the site's HTML: headings get GitHub's anchors, and relative links to files the
 * site builds a page from (`links`, by path in the repository) go to that page. `from` is the
 * folder of the Markdown file in the repository, which its links are relative to.
 */
export function renderMarkdown(markdown: string, links: Record<string, string>, from: string): string {
  const marked = new Marked({
    gfm: true,
    renderer: {
      heading({ tokens, depth }) {
        const text = this.parser.parseInline(tokens);
        return `<h${depth} id="${slug(text)}">${text}</h${depth}>\n`;
      },
    },
    walkTokens(token) {
      if (token.type !== 'link') return;
      if (/^[a-z]+:/i.test(token.href) || token.href.startsWith('#')) return;
      const [file = '', hash] = token.href.split('#');
      const path = posix.normalize(posix.join(from, file));
      const target = links[path];
      // A link the site has no page for would be dead in it: refuse it here, not in a reader's browser.
      if (!target)
        throw new Error(`docs: ${from}: the link ${token.href} goes to ${path}, which has no page in the site`);
      token.href = `${target}${hash ? `#${hash}` : ''}`;
    },
  });
  return marked.parse(markdown, { async: false });
}

/** The first `# ` heading of a Markdown text. */
export function titleOf(markdown: string): string {
  return /^# (.+)$/m.exec(markdown)?.[1]?.trim() ?? 'smswire';
}
