/**
 * The look of the vendor pages for the pages around them: Redoc's own theme, its `:root` custom
 * properties (fonts, colours, sizes) taken from a page it built, plus a layout that uses them. No
 * font or stylesheet is loaded from anywhere else.
 */
export function redocTheme(html: string): string {
  const at = html.indexOf('--font-family-base:');
  const start = html.lastIndexOf(':root{', at);
  const end = html.indexOf('}', at);
  if (at < 0 || start < 0 || end < 0)
    throw new Error("Redoc's theme (the :root rule with --font-family-base) was not found in its page");
  return html.slice(start, end + 1);
}

export function siteCss(theme: string): string {
  return `${theme}
*{box-sizing:border-box}
body{margin:0;display:flex;min-height:100vh;font-family:var(--font-family-base);font-size:var(--font-size-base);line-height:var(--line-height-base);color:var(--text-color-primary);background:var(--bg-color)}
nav.sidebar{width:var(--sidebar-width);flex:none;position:sticky;top:0;height:100vh;overflow:auto;padding:var(--spacing-base) 0;background:var(--sidebar-bg-color);border-right:1px solid var(--sidebar-border-color);font-size:var(--sidebar-font-size)}
nav.sidebar .brand{display:block;padding:0 var(--spacing-lg) var(--spacing-base);font-size:var(--font-size-lg);font-weight:var(--font-weight-bold);color:var(--text-color-primary);text-decoration:none}
nav.sidebar .group{padding:var(--spacing-base) var(--spacing-lg) 4px;font-size:var(--font-size-sm);font-weight:var(--font-weight-semibold);text-transform:uppercase;color:var(--text-color-secondary)}
nav.sidebar a.item{display:block;padding:6px var(--spacing-lg);color:var(--sidebar-text-color);text-decoration:none;border-radius:var(--border-radius-lg);margin:0 8px}
nav.sidebar a.item:hover{background:var(--menu-item-bg-color-hover)}
nav.sidebar a.item[aria-current=page]{background:var(--color-primary-bg);color:var(--color-primary-text)}
main{flex:1;min-width:0;max-width:1280px;padding:var(--spacing-lg) 48px 96px}
h1{font-family:var(--h1-font-family);font-size:var(--h1-font-size);line-height:var(--h1-line-height);font-weight:var(--h1-font-weight);color:var(--h1-text-color);margin:var(--spacing-base) 0}
h2{font-family:var(--heading-font-family);font-size:var(--h2-font-size);line-height:var(--h2-line-height);font-weight:var(--heading-font-weight);color:var(--heading-text-color);margin:48px 0 var(--spacing-base)}
h3{font-family:var(--heading-font-family);font-size:var(--font-size-lg);font-weight:var(--heading-font-weight);margin:32px 0 8px}
p.lead{font-size:var(--font-size-lg);color:var(--text-color-secondary)}
a{color:var(--link-color-primary)}
code{font-family:var(--inline-code-font-family,var(--font-family-monospaced));font-size:.92em;background:var(--inline-code-bg-color);border-radius:var(--border-radius);padding:1px 4px}
pre{font-family:var(--font-family-monospaced);background:var(--panel-samples-bg-color);border:1px solid var(--border-color-primary);border-radius:var(--border-radius-xl);padding:var(--spacing-base);overflow:auto;line-height:1.5}
pre code{background:none;padding:0;font-size:13px;color:var(--text-color-primary)}
table{border-collapse:collapse;width:100%;margin:var(--spacing-base) 0}
.table-scroll{overflow-x:auto;max-width:100%}
.table-scroll table{margin:0}
th,td{border-bottom:1px solid var(--border-color-primary);padding:8px 10px;text-align:left;vertical-align:top}
th{font-weight:var(--font-weight-semibold);color:var(--text-color-secondary);font-size:var(--font-size-sm);text-transform:uppercase}
td.yes{color:var(--color-success-text)}
td.no{color:var(--text-color-disabled)}
ul.cards{list-style:none;padding:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:var(--spacing-base)}
ul.cards li{border:1px solid var(--border-color-primary);border-radius:var(--border-radius-xl);padding:var(--spacing-base)}
`;
}
