// The demo store's own cart: what any shop already has. It keeps the cart in
// localStorage (in memory if storage is unavailable), draws the header count and the cart
// page, and connects to cartlift through the `js` adapter:
//   cartlift.setBasket(lines)      tells the widget what is in the cart
//   cartlift.onAddToCart(fn)       adds what a shopper picks in the widget
// This file runs after cartlift.js (module scripts run in document order), so
// window.cartlift exists.

const KEY = 'watchpost-cart';
const ORDER_KEY = 'watchpost-last-order';
let memory = '[]';
let lastOrder = null;

// The demo's pages come in English and Persian; the store's own texts follow <html lang>.
const fa = document.documentElement.lang === 'fa';
const prefix = fa ? '/fa' : '';
const t = (en, persian) => (fa ? persian : en);

function load() {
  let text;
  try { text = localStorage.getItem(KEY) ?? '[]'; } catch { text = memory; }
  try { const lines = JSON.parse(text); return Array.isArray(lines) ? lines : []; } catch { return []; }
}

function save(lines) {
  const text = JSON.stringify(lines);
  memory = text;
  try { localStorage.setItem(KEY, text); } catch { /* private mode or full: memory only */ }
  changed(lines);
}

let feed = null;
async function products() {
  if (!feed) feed = fetch('/data/products.json').then((r) => r.json());
  return feed;
}

// `discount`: the code the line was added with (the widget's whole bundle hands over the
// config's bundle_discount_code); the demo's cart grants BUNDLE5, 5% off those lines.
export function add(id, quantity = 1, discount = null) {
  const lines = load();
  const line = lines.find((l) => l.id === id);
  if (line) line.quantity += quantity; else lines.push({ id, quantity });
  if (discount === 'BUNDLE5') (line || lines[lines.length - 1]).discount = discount;
  save(lines);
}

function setQuantity(id, quantity) {
  save(load().map((l) => (l.id === id ? { ...l, quantity } : l)).filter((l) => l.quantity > 0));
}

const money = new Intl.NumberFormat(fa ? 'fa-IR' : 'en-US', { style: 'currency', currency: 'USD' });
const number = new Intl.NumberFormat(fa ? 'fa-IR' : 'en-US');

async function changed(lines) {
  const count = document.getElementById('cart-count');
  if (count) count.textContent = number.format(lines.reduce((n, l) => n + l.quantity, 0));
  const catalog = await products().catch(() => ({}));
  window.cartlift?.setBasket(lines.map((l) => ({
    id: l.id, quantity: l.quantity, price: catalog[l.id]?.price,
  })));
  drawCart(lines);
}

// Cart and checkout pages draw their lines with /js/cart-lines.js (see there).
function drawCart(lines) {
  window.watchpostDrawCart?.(lines);
}
window.watchpostSetQuantity = setQuantity;

// The widget's "Add to cart" lands here. A real store would POST to its backend; the
// promise resolving is what lets the widget say "Added".
// For an upgrade, `item.replaces` names the line the shopper swaps out.
window.cartlift?.onAddToCart(async (item) => {
  await new Promise((resolve) => setTimeout(resolve, 150));
  add(item.id, item.quantity, item.discount_code);
  if (item.replaces) setQuantity(item.replaces, 0);
});

for (const button of document.querySelectorAll('[data-add]')) {
  button.addEventListener('click', () => {
    add(button.dataset.add);
    button.textContent = t('Added to cart', 'به سبد افزوده شد');
    setTimeout(() => { button.textContent = t('Add to cart', 'افزودن به سبد'); }, 1500);
  });
}

// Checkout: "Place order" sends the order to the store's backend, which appends it to the
// order history (/data/orders.csv, what the rule studio mines), keeps it for the
// confirmation page and empties the cart. Served as static files without the demo's
// server, the order still reaches the confirmation page.
document.getElementById('checkout-form')?.addEventListener('submit', async (e) => {
  e.preventDefault();
  const lines = load();
  if (lines.length === 0) return;
  const button = document.getElementById('place-order');
  if (button) button.disabled = true;
  const order = { id: `W${Date.now().toString(36).toUpperCase()}`, placed: new Date().toISOString(), lines };
  try {
    const reply = await fetch('/api/orders', {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(order),
    });
    order.recorded = reply.status === 201;
  } catch { order.recorded = false; }
  try {
    localStorage.setItem(ORDER_KEY, JSON.stringify(order));
  } catch { lastOrder = order; }
  save([]);
  location.href = `${prefix}/confirmation.html`;
});

// Confirmation: show the order and hand its lines to the confirmation placement.
const complete = document.getElementById('complete-setup');
if (complete) {
  let order = lastOrder;
  try { order = JSON.parse(localStorage.getItem(ORDER_KEY) || 'null') || order; } catch { /* none */ }
  if (order) {
    const items = order.lines.reduce((n, l) => n + l.quantity, 0);
    document.getElementById('order-summary').textContent = t(
      `Order ${order.id}: ${items} item(s). We have emailed you a receipt.`,
      `سفارش ${order.id}: ${number.format(items)} کالا. رسید به ایمیل شما فرستاده شد.`,
    );
    complete.setAttribute('order', JSON.stringify(order.lines.map((l) => ({ id: l.id, quantity: l.quantity }))));
  }
}

// Another tab changed the cart: follow it.
window.addEventListener('storage', (e) => { if (e.key === KEY) changed(load()); });
changed(load());
