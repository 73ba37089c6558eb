// Runs Shopify's theme-check (@shopify/theme-check-node, pinned in xtask/package.json) on a
// theme app extension and prints every offense; exits 1 if any has error severity, or if
// the folder breaks one of the rules `shopify app deploy` enforces before upload.
//
//   node xtask/shopify/check.mjs <extension dir> <work dir>
//
// Offline: theme-check's docs manager (@shopify/theme-check-docs-updater) first tries to
// download Shopify/theme-liquid-docs (the Liquid objects, filters, tags and JSON schemas
// the checks read) and falls back to the copy bundled with the package. The download is
// pointed (SHOPIFY_TLD_ROOT, read by the package) at a mirror of that bundled copy laid
// out in <work dir>, and its cache (XDG_CACHE_HOME) is kept there too, so a run reads no
// network and the same docs every time: those of the pinned package version. Any URL in
// the docs manager's log fails the run; CARTLIFT_THEME_CHECK_LOG=1 prints that log.

import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const [extension, work] = process.argv.slice(2).map((p) => p && path.resolve(p));
if (!extension || !work) {
  console.error('usage: node check.mjs <extension dir> <work dir>');
  process.exit(2);
}
const require = createRequire(import.meta.url);

// The bundled theme-liquid-docs, laid out as the repository is (data/, schemas/).
const docsData = path.join(path.dirname(require.resolve('@shopify/theme-check-docs-updater/package.json')), 'data');
const mirror = path.join(work, 'theme-liquid-docs');
fs.rmSync(work, { recursive: true, force: true });
fs.mkdirSync(path.join(mirror, 'data'), { recursive: true });
fs.mkdirSync(path.join(mirror, 'schemas', 'theme'), { recursive: true });
const resources = ['filters', 'objects', 'tags', 'latest', 'shopify_system_translations'];
for (const file of fs.readdirSync(docsData)) {
  const name = path.basename(file, '.json');
  const to = resources.includes(name) ? path.join(mirror, 'data', file)
    : name.startsWith('manifest_') ? path.join(mirror, 'schemas', file)
      : path.join(mirror, 'schemas', 'theme', file);
  fs.copyFileSync(path.join(docsData, file), to);
}
process.env.SHOPIFY_TLD_ROOT = mirror;
process.env.XDG_CACHE_HOME = path.join(work, 'cache');
const docsLog = [];
if (process.env.CARTLIFT_THEME_CHECK_LOG) process.on('exit', () => console.error(docsLog.join('\n')));
const { themeCheckRun, Severity } = require('@shopify/theme-check-node');
const version = require('@shopify/theme-check-node/package.json').version;

const run = await themeCheckRun(extension, 'theme-check:theme-app-extension', (m) => docsLog.push(m));
// Any attempt to reach the network shows in the docs manager's log as a URL.
const remote = docsLog.filter((m) => /https?:\/\//.test(m));
if (remote.length) {
  console.error(`theme-check tried the network:\n${remote.join('\n')}`);
  process.exit(1);
}

const names = { [Severity.ERROR]: 'error', [Severity.WARNING]: 'warning', [Severity.INFO]: 'info' };
const rel = (uri) => path.relative(extension, decodeURIComponent(new URL(uri).pathname));
const offenses = [...run.offenses].sort((a, b) =>
  rel(a.uri).localeCompare(rel(b.uri)) || a.start.line - b.start.line || a.start.character - b.start.character);
const lines = [`theme-check ${version} (theme-app-extension checks, ${run.theme.length} files)`];
for (const o of offenses) {
  lines.push(`${names[o.severity] ?? o.severity}: ${rel(o.uri)}:${o.start.line + 1}:${o.start.character + 1} [${o.check}] ${o.message}`);
}
const errors = offenses.filter((o) => o.severity === Severity.ERROR).length;
lines.push(`${offenses.length} offenses, ${errors} errors`);

// What `shopify app deploy` refuses before upload (Shopify CLI,
// packages/app/src/cli/models/extensions/specifications/theme.ts): files only in
// assets/ (.jpg .jpeg .json .js .css .png .svg .wasm), blocks/ and snippets/ (.liquid),
// locales/ (.json), no deeper folders; at most 10 MB in all, 500 KB of Liquid.
const deploy = [];
let total = 0;
let liquid = 0;
const allowed = { assets: /\.(jpg|jpeg|json|js|css|png|svg|wasm)$/, blocks: /\.liquid$/, snippets: /\.liquid$/, locales: /\.json$/ };
for (const entry of fs.readdirSync(extension, { withFileTypes: true })) {
  if (entry.isFile()) {
    if (!entry.name.endsWith('.toml')) deploy.push(`${entry.name}: a file outside assets/, blocks/, snippets/, locales/`);
    continue;
  }
  for (const file of fs.readdirSync(path.join(extension, entry.name), { withFileTypes: true })) {
    const where = `${entry.name}/${file.name}`;
    if (!allowed[entry.name]) { deploy.push(`${where}: ${entry.name}/ is not a theme app extension folder`); continue; }
    if (!file.isFile()) { deploy.push(`${where}: folders inside ${entry.name}/ are not deployed`); continue; }
    if (!allowed[entry.name].test(file.name)) deploy.push(`${where}: this file type is not accepted in ${entry.name}/`);
    const size = fs.statSync(path.join(extension, where)).size;
    total += size;
    if (entry.name === 'blocks' || entry.name === 'snippets') liquid += size;
  }
}
if (total > 10 * 1024 * 1024) deploy.push(`${total} bytes in all: over the 10 MB limit`);
if (liquid > 500 * 1024) deploy.push(`${liquid} bytes of Liquid: over the 500 KB limit`);
lines.push(`shopify app deploy's file rules: ${deploy.length ? deploy.length + ' broken' : 'kept'} (${total} bytes, ${liquid} of Liquid)`);
lines.push(...deploy.map((d) => `error: ${d}`));
console.log(lines.join('\n'));
process.exit(errors || deploy.length ? 1 : 0);
