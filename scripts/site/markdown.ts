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
 * Markdown as the site's HTML: headings get GitHub's anchors, and links to other Markdown files
 * go to the page the site builds from them (`links`, by file name), or stay as they are.
 */
export function renderMarkdown(markdown: string, links: Record<string, string>): string {
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
      const [file, hash] = token.href.split('#');
      const name = file?.split('/').at(-1) ?? '';
      if (!/^[a-z]+:/i.test(token.href) && links[name]) token.href = `${links[name]}${hash ? `#${hash}` : ''}`;
    },
  });
  return marked.parse(markdown, { async: false });
}

/** The first `# ` heading of a Markdown text. */
export function titleOf(markdown: string): string {
  return /^# (.+)$/m.exec(markdown)?.[1]?.trim() ?? 'smswire';
}
