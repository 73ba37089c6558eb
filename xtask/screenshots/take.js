// cargo xtask screenshots: the README's pictures of the demo store and the rule studio,
// taken in Debian's Chromium through playwright-core (which downloads no browser).
//   node take.js BASE_URL OUT_DIR
const { chromium } = require('playwright-core');

const [base, out] = process.argv.slice(2);
const flags = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage'];
const placed = (p) =>
  `document.querySelector('cartlift-suggestions[placement="${p}"]').shadowRoot?.querySelector('[data-product]')`;

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: flags });
  const store = async (path, height, file, cart, placement) => {
    const page = await browser.newPage({ viewport: { width: 1280, height } });
    await page.goto(`${base}/index.html`);
    await page.evaluate((c) => localStorage.setItem('watchpost-cart', c), cart);
    await page.goto(base + path);
    // Placements render as they near the viewport: bring this one there, then back up.
    await page.evaluate(() => document.querySelector('cartlift-suggestions').scrollIntoView({ block: 'center' }));
    await page.waitForFunction(placed(placement), null, { timeout: 30000 });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(800);
    await page.screenshot({ path: `${out}/${file}` });
    await page.close();
    console.log(`${out}/${file}`);
  };
  await store('/products/cam-dome-4mp.html', 1150, 'product-page.png', '[]', 'product');
  await store('/fa/products/cam-dome-4mp.html', 1150, 'product-page-fa.png', '[]', 'product');
  await store('/cart.html', 1000, 'cart-page.png',
    '[{"id":"cam-dome-4mp","quantity":1},{"id":"hdd-2tb","quantity":1}]', 'cart');
  // The studio mines the groceries sample on load (#sample), in its worker.
  const studio = await browser.newPage({ viewport: { width: 1280, height: 1750 } });
  await studio.goto(`${base}/studio/#sample`);
  await studio.waitForSelector('#mining-summary', { timeout: 60000 });
  await studio.waitForTimeout(1500);
  await studio.screenshot({ path: `${out}/studio.png` });
  console.log(`${out}/studio.png`);
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
