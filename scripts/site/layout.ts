export interface NavLink {
  href: string;
  label: string;
}

export interface Nav {
  vendors: NavLink[];
  guides: NavLink[];
  more: NavLink[];
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' }[c]};`);
}

/** A page of the site around the vendor references: the sidebar of every page, one stylesheet, nothing from outside. */
export function page(file: string, title: string, nav: Nav, body: string): string {
  const item = (link: NavLink) =>
    `<a class="item" href="${link.href}"${link.href === file ? ' aria-current="page"' : ''}>${escapeHtml(link.label)}</a>`;
  const group = (name: string, links: NavLink[]) =>
    links.length ? `<div class="group">${name}</div>\n${links.map(item).join('\n')}` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<link rel="stylesheet" href="site.css">
</head>
<body>
<nav class="sidebar">
<a class="brand" href="index.html">smswire</a>
${group('API reference', nav.vendors)}
${group('Guides', nav.guides)}
${group('More', nav.more)}
</nav>
<main>
${body}
</main>
</body>
</html>
`;
}
