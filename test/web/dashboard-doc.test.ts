/**
 * Keeps docs/dashboard.md honest without a browser: every picture it shows exists under
 * docs/images/dashboard/ and says what it shows (alt text), every picture there is shown, and
 * every page address of the dashboard (the `<Route path=…>` lines of web/src/app.tsx) has a
 * section of its own.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';

const root = path.resolve(import.meta.dirname, '../..');
const docFile = path.join(root, 'docs/dashboard.md');
const imagesDir = path.join(root, 'docs/images/dashboard');

/** The pictures a Markdown page shows: `![alt](target)`, targets as written. */
function picturesOf(markdown: string): { readonly alt: string; readonly target: string }[] {
  return [...markdown.matchAll(/!\[([^\]]*)\]\(([^)\s]+)\)/g)].map((match) => ({
    alt: (match[1] ?? '').trim(),
    target: match[2] ?? '',
  }));
}

/** The page addresses of the app's router, read from its source as text: `/jobs/:name`, ... */
function routePathsOf(appSource: string): string[] {
  return [...appSource.matchAll(/<Route\s+path="([^"]+)"/g)].map((match) => match[1] ?? '');
}

/** How the page writes an address: `/jobs/:name` as `/jobs/<name>`. */
function writtenAddress(routePath: string): string {
  return routePath.replace(/:([A-Za-z_][A-Za-z0-9_]*)/g, '<$1>');
}

/** The headings of a Markdown page (`##` and deeper), outside fenced code blocks. */
function headingsOf(markdown: string): string[] {
  const headings: string[] = [];
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) fenced = !fenced;
    else if (!fenced && /^#{2,6} /.test(line)) headings.push(line);
  }
  return headings;
}

describe('docs/dashboard.md', () => {
  const doc = readFileSync(docFile, 'utf8');

  it('shows only pictures that exist, each with alt text', () => {
    const pictures = picturesOf(doc);
    assert.ok(pictures.length > 0, 'the page shows no picture');
    for (const { alt, target } of pictures) {
      assert.ok(alt.length >= 10, `the picture ${target} needs alt text that says what it shows`);
      const file = path.resolve(path.dirname(docFile), target);
      assert.ok(existsSync(file), `docs/dashboard.md shows ${target}, which does not exist`);
    }
  });

  it('shows every picture of docs/images/dashboard/', () => {
    const shown = new Set(picturesOf(doc).map(({ target }) => path.resolve(path.dirname(docFile), target)));
    const unshown = readdirSync(imagesDir)
      .filter((name) => name.endsWith('.png'))
      .filter((name) => !shown.has(path.join(imagesDir, name)));
    assert.deepEqual(unshown, [], 'pictures in docs/images/dashboard/ that docs/dashboard.md does not show');
  });

  it('has a section for every page address of web/src/app.tsx', () => {
    const routes = routePathsOf(readFileSync(path.join(root, 'web/src/app.tsx'), 'utf8'));
    assert.ok(routes.length >= 8, `read only ${routes.length} routes from web/src/app.tsx`);
    const headings = headingsOf(doc);
    const missing = routes.filter(
      (route) => !headings.some((heading) => heading.includes(`\`${writtenAddress(route)}\``)),
    );
    assert.deepEqual(missing, [], 'page addresses with no section heading naming them in docs/dashboard.md');
  });
});

describe('reading the page and the app', () => {
  it('finds pictures, routes and headings as written', () => {
    assert.deepEqual(picturesOf('a ![The jobs](images/x.png) b ![](y.png)'), [
      { alt: 'The jobs', target: 'images/x.png' },
      { alt: '', target: 'y.png' },
    ]);
    assert.deepEqual(routePathsOf('<Route path="/" component={A} />\n<Route default component={B} />'), [
      '/',
    ]);
    assert.equal(writtenAddress('/queues/:job'), '/queues/<job>');
    assert.deepEqual(headingsOf('## A (`/`)\n```sh\n## not one\n```\n### B'), ['## A (`/`)', '### B']);
  });
});
