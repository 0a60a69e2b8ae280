#!/usr/bin/env node
/**
 * Bundle sizes of the built app (`npm run build` first), raw and gzip-compressed (level 6, as the
 * server sends them): the entry chunk and what index.html preloads with it (every first visit
 * downloads these), each lazily loaded chunk (a page, loaded when first visited), the CSS, and
 * everything the service worker precaches (what an install downloads in the background).
 *
 *   node scripts/bundle_report.mjs [--out ../bench/results/bundle_sizes.md]
 *
 * Writes Markdown to --out (default: bench/results/bundle_sizes.md) and prints it.
 */
import { readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(here, '..', 'dist');
const outArg = process.argv.indexOf('--out');
const out = outArg > 0 ? resolve(process.argv[outArg + 1]) : resolve(here, '..', '..', 'bench', 'results', 'bundle_sizes.md');

function sizes(file) {
  const data = readFileSync(join(dist, file));
  return { file, raw: data.length, gzip: gzipSync(data, { level: 6 }).length };
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const sum = (list, key) => list.reduce((total, item) => total + item[key], 0);

let html;
try {
  html = readFileSync(join(dist, 'index.html'), 'utf8');
} catch {
  console.error(`No ${join(dist, 'index.html')}: run \`npm run build\` first.`);
  process.exit(1);
}
const entryFile = html.match(/<script[^>]+type="module"[^>]+src="\/([^"]+)"/)?.[1];
const preloads = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]);
const styles = [...html.matchAll(/<link[^>]+rel="stylesheet"[^>]+href="\/([^"]+)"/g)].map((m) => m[1]);
if (!entryFile) throw new Error('index.html has no module script');

const entry = sizes(entryFile);
const initial = [entry, ...preloads.map(sizes)];
const css = styles.map(sizes);
const html_ = sizes('index.html');
const scripts = readdirSync(join(dist, 'assets')).filter((name) => name.endsWith('.js'));
const lazy = scripts
  .map((name) => `assets/${name}`)
  .filter((file) => !initial.some((chunk) => chunk.file === file))
  .map(sizes)
  .sort((a, b) => b.gzip - a.gzip);

// The service worker's precache list (Workbox's injected manifest: {"revision":...,"url":"..."}).
const sw = readFileSync(join(dist, 'sw.js'), 'utf8');
const precacheFiles = [...new Set([...sw.matchAll(/\{"revision":(?:"[^"]*"|null),"url":"([^"]+)"\}/g)].map((m) => m[1]))];
const precache = precacheFiles.map(sizes);
const worker = sizes('sw.js');

const firstLoad = [html_, ...initial, ...css];
const short = (file) => file.replace(/^assets\//, '').replace(/-[A-Za-z0-9_-]{8}\.(js|css)$/, '.$1');
// Without the hash where that name is unique; several small "model.js" chunks keep theirs.
const allFiles = [...readdirSync(join(dist, 'assets')).map((file) => `assets/${file}`)];
const name = (file) =>
  allFiles.filter((other) => short(other) === short(file)).length > 1 ? file.replace(/^assets\//, '') : short(file);
const row = (item, label = name(item.file)) => `| ${label} | ${kb(item.raw)} | ${kb(item.gzip)} |`;

const lines = [
  '# Bundle sizes',
  '',
  `The built web app (\`pwa/dist\`), measured by \`pwa/scripts/bundle_report.mjs\` on ${new Date().toISOString().slice(0, 10)}.`,
  'gzip is level 6, as the server compresses responses. Chunk names without their content hash where unique.',
  '',
  '## Every first visit',
  '',
  '| file | raw | gzip |',
  '|---|---:|---:|',
  row(html_, 'index.html'),
  row(entry, `${name(entry.file)} (entry)`),
  ...initial.slice(1).map((item) => row(item, `${name(item.file)} (modulepreload)`)),
  ...css.map((item) => row(item, `${name(item.file)} (CSS)`)),
  `| **total before the first page chunk** | **${kb(sum(firstLoad, 'raw'))}** | **${kb(sum(firstLoad, 'gzip'))}** |`,
  '',
  '## Lazy chunks (a page or a part of one, loaded when first needed)',
  '',
  '| chunk | raw | gzip |',
  '|---|---:|---:|',
  ...lazy.map((item) => row(item)),
  `| **all lazy chunks** | **${kb(sum(lazy, 'raw'))}** | **${kb(sum(lazy, 'gzip'))}** |`,
  '',
  '## Service worker',
  '',
  '| what | raw | gzip |',
  '|---|---:|---:|',
  row(worker, 'sw.js itself'),
  `| precache: ${precache.length} files (what installing the app downloads) | ${kb(sum(precache, 'raw'))} | ${kb(sum(precache, 'gzip'))} |`,
  '',
];
const markdown = lines.join('\n');
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, markdown);
process.stdout.write(markdown);
