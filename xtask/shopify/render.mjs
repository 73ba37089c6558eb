// Renders the theme app extension's blocks into theme pages with liquidjs (pinned in
// xtask/package.json), for the end-to-end test of the extension in the fake Shopify store.
//
//   node xtask/shopify/render.mjs <extension dir> <fixtures dir> <out dir> <asset base URL>
//
// <fixtures dir> (tests/data/shopify) holds the Liquid objects (shop, product, cart,
// customer, request) and pages.json, the pages to render. Every key of every fixture is
// checked against Shopify's own reference of the Liquid objects (the objects.json of
// Shopify/theme-liquid-docs that @shopify/theme-check-docs-updater bundles), so a field
// Shopify does not document fails the run. The Shopify filters the blocks use are
// registered as Shopify documents them (asset_url, handleize, t), with liquidjs'
// strictFilters: a filter nobody registered fails the run too, as does a missing
// translation or asset. Each block's settings are its schema defaults with the page's
// values over them, as the theme editor saves them. <out dir> gets the pages and
// pages.json: each page's URL, file and what it was rendered with, and where the assets
// are served from.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';

const require = createRequire(import.meta.url);
const { Liquid } = require('liquidjs');

const [extension, fixtures, out, assetBase] = process.argv.slice(2);
if (!extension || !fixtures || !out || !assetBase?.endsWith('/')) {
  console.error('usage: node render.mjs <extension dir> <fixtures dir> <out dir> <asset base URL ending in />');
  process.exit(2);
}
const fail = (message) => { console.error(`render: ${message}`); process.exit(1); };
const read = (file) => JSON.parse(fs.readFileSync(file, 'utf8'));

// ---- fixtures, checked against Shopify's Liquid object reference ------------------------
const objects = new Map(read(path.join(path.dirname(
  require.resolve('@shopify/theme-check-docs-updater/package.json')), 'data', 'objects.json'))
  .map((o) => [o.name, o]));
// `shop.money_format` is documented with the return type `currency`, yet it is the
// format text ("${{amount}}"), as the Admin API's shop.money_format is.
const TEXT_ANYWAY = new Set(['shop.money_format', 'shop.money_with_currency_format']);
function check(value, type, where) {
  if (value === null || type === 'untyped') return;
  if (type === 'string' || type === 'number' || type === 'boolean') {
    if (typeof value !== type) fail(`${where}: Shopify documents a ${type}, the fixture has ${JSON.stringify(value)}`);
    return;
  }
  const object = objects.get(type);
  if (!object) fail(`${where}: unknown Liquid object type ${type}`);
  if (typeof value !== 'object' || Array.isArray(value)) {
    if (TEXT_ANYWAY.has(where) && typeof value === 'string') return;
    fail(`${where}: Shopify documents a ${type} object`);
  }
  for (const [key, v] of Object.entries(value)) {
    const property = (object.properties || []).find((p) => p.name === key);
    if (!property) fail(`${where}.${key}: not a documented property of the Liquid ${type} object`);
    const returns = property.return_type?.[0];
    if (!returns) continue;
    const at = `${where}.${key}`;
    if (returns.type === 'array') {
      if (!Array.isArray(v)) fail(`${at}: Shopify documents an array`);
      v.forEach((item, i) => check(item, returns.array_value, `${at}[${i}]`));
    } else if (TEXT_ANYWAY.has(`${where}.${key}`) && typeof v === 'string') {
      // see TEXT_ANYWAY
    } else {
      check(v, returns.type, at);
    }
  }
}
const globals = {};
for (const name of ['shop', 'product', 'cart', 'customer', 'request']) {
  globals[name] = read(path.join(fixtures, `${name}.json`));
  check(globals[name], name, name);
}
const spec = read(path.join(fixtures, 'pages.json'));

// ---- the extension -----------------------------------------------------------------------
const blocks = new Map();
for (const file of fs.readdirSync(path.join(extension, 'blocks'))) {
  const source = fs.readFileSync(path.join(extension, 'blocks', file), 'utf8');
  const schema = source.match(/\{%-?\s*schema\s*-?%\}([\s\S]*?)\{%-?\s*endschema\s*-?%\}/);
  if (!schema) fail(`blocks/${file} has no schema`);
  blocks.set(file, { source, schema: JSON.parse(schema[1]) });
}
const find = (target) => {
  const found = [...blocks].filter(([, b]) => target === 'section' ? b.schema.target === 'section' : b.schema.target !== 'section');
  if (found.length !== 1) fail(`expected one ${target === 'section' ? 'app block' : 'app embed'}, found ${found.length}`);
  return found[0];
};
const [embedFile, embed] = find('embed');
const [blockFile, block] = find('section');
if (!['head', 'body', 'compliance_head'].includes(embed.schema.target)) fail(`${embedFile}: target ${embed.schema.target}`);
const settings = (schema, values) => {
  const s = Object.fromEntries((schema.settings || []).filter((x) => x.id).map((x) => [x.id, x.default ?? null]));
  for (const [k, v] of Object.entries(values || {})) {
    if (!(k in s)) fail(`pages.json sets ${k}, which the block's schema does not have`);
    s[k] = v;
  }
  return s;
};
const locale = (name) => {
  const file = path.join(extension, 'locales', name);
  return fs.existsSync(file) ? read(file) : null;
};

// ---- Shopify's filters and the schema tag ---------------------------------------------
const engine = new Liquid({ strictFilters: true, strictVariables: false, jsTruthy: false });
// asset_url: the CDN URL of a file in the extension's assets/, with a version query as
// Shopify adds one. Here under <asset base>, where the fake store serves assets/.
engine.registerFilter('asset_url', (name) => {
  const file = path.join(extension, 'assets', String(name));
  if (!fs.existsSync(file)) fail(`asset_url: assets/${name} does not exist`);
  const digest = createHash('sha256').update(fs.readFileSync(file)).digest();
  return `${assetBase}${name}?v=${digest.readBigUInt64BE(0) % 10n ** 18n}`;
});
// handleize: "Converts a string into a handle": lower case, every run of characters other
// than letters and digits a single hyphen, none at either end ("Health potion" becomes
// health-potion).
engine.registerFilter('handleize', (text) => String(text ?? '').toLowerCase()
  .replace(/[^\p{L}\p{N}]+/gu, '-').replace(/^-+|-+$/g, ''));
// t: the storefront translation from locales/<language>.json, else the default locale's;
// Shopify prints "translation missing: <locale>.<key>", which fails the run here.
engine.registerFilter('t', function (key) {
  const language = this.context.getSync(['request', 'locale', 'iso_code']);
  const defaults = fs.readdirSync(path.join(extension, 'locales')).find((f) => /^[^.]+\.default\.json$/.test(f));
  for (const table of [locale(`${language}.json`), defaults && locale(defaults)]) {
    const found = String(key).split('.').reduce((t, k) => (t && typeof t === 'object' ? t[k] : undefined), table);
    if (typeof found === 'string') return found;
  }
  return `translation missing: ${language}.${key}`;
});
// {% schema %}: read by Shopify, renders nothing.
engine.registerTag('schema', {
  parse(token, remain) {
    while (remain.length) if (remain.shift().name === 'endschema') return;
    throw new Error('{% schema %} is not closed');
  },
  render() { return ''; },
});

// ---- the pages -----------------------------------------------------------------------------
fs.rmSync(out, { recursive: true, force: true });
fs.mkdirSync(out, { recursive: true });
const rendered = [];
for (const page of spec.pages) {
  // A page may show the cart in another currency (a market's, with Shopify Markets).
  if (page.cart_currency) check(page.cart_currency, 'currency', `${page.url}: cart.currency`);
  const scope = {
    shop: globals.shop,
    cart: page.cart_currency ? { ...globals.cart, currency: page.cart_currency } : globals.cart,
    request: { ...globals.request, path: page.url, page_type: page.template },
  };
  if (page.customer) scope.customer = globals.customer;
  if (page.template === 'product') scope.product = globals.product;
  const embedSettings = settings(embed.schema, spec.embed);
  const blockSettings = settings(block.schema, page.block);
  // A product setting with "autofill" takes the section's product on product templates.
  for (const s of block.schema.settings || []) {
    if (s.type === 'product' && s.autofill && blockSettings[s.id] == null && scope.product) blockSettings[s.id] = scope.product;
  }
  const embedHtml = await engine.parseAndRender(embed.source, { ...scope, block: { id: 'embed', type: embedFile, settings: embedSettings } });
  const blockHtml = await engine.parseAndRender(block.source, { ...scope, block: { id: 'block', type: blockFile, settings: blockSettings } });
  const head = ['head', 'compliance_head'].includes(embed.schema.target) ? embedHtml : '';
  const body = embed.schema.target === 'body' ? embedHtml : '';
  const title = page.template === 'product' ? scope.product.title : 'Your cart';
  const html = `<!doctype html>
<html lang="${scope.request.locale.iso_code}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} – ${scope.shop.name}</title>
<link rel="icon" href="data:,">
${head}
</head>
<body>
<main>
<h1>${title}</h1>
<section class="shopify-section" id="shopify-section-template--main">
<div class="shopify-app-block" id="shopify-block-${page.file.replace(/\W/g, '-')}">${blockHtml}</div>
</section>
</main>
${body}
</body>
</html>
`;
  for (const bad of ['translation missing', 'Liquid error']) if (html.includes(bad)) fail(`${page.url}: ${bad} in\n${html}`);
  fs.writeFileSync(path.join(out, page.file), html);
  rendered.push({ url: page.url, file: page.file, template: page.template, customer: !!page.customer, currency: scope.cart.currency.iso_code, block: blockSettings.product ? { ...blockSettings, product: blockSettings.product.handle } : blockSettings });
}
fs.writeFileSync(path.join(out, 'pages.json'), `${JSON.stringify({
  assets_url: assetBase,
  assets_dir: path.resolve(extension, 'assets'),
  embed_target: embed.schema.target,
  pages: rendered,
}, null, 2)}\n`);
console.log(`rendered ${rendered.length} pages with liquidjs ${require('liquidjs/package.json').version} into ${out}`);
