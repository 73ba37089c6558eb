// The demo store's own cart: what any shop already has. It keeps the cart in
// localStorage (in memory if storage is unavailable), draws the header count and the cart
// page, and connects to cartlift through the `js` adapter:
//   cartlift.setBasket(lines)      tells the widget what is in the cart
//   cartlift.onAddToCart(fn)       adds what a shopper picks in the widget
// This file runs after cartlift.js (module scripts run in document order), so
// window.cartlift exists.

const KEY = 'watchpost-cart';
let memory = '[]';

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

export function add(id, quantity = 1) {
  const lines = load();
  const line = lines.find((l) => l.id === id);
  if (line) line.quantity += quantity; else lines.push({ id, quantity });
  save(lines);
}

function setQuantity(id, quantity) {
  save(load().map((l) => (l.id === id ? { ...l, quantity } : l)).filter((l) => l.quantity > 0));
}

const money = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });

async function changed(lines) {
  const count = document.getElementById('cart-count');
  if (count) count.textContent = String(lines.reduce((n, l) => n + l.quantity, 0));
  const catalog = await products().catch(() => ({}));
  window.cartlift?.setBasket(lines.map((l) => ({
    id: l.id, quantity: l.quantity, price: catalog[l.id]?.price,
  })));
  drawCart(lines, catalog);
}

function drawCart(lines, catalog) {
  const list = document.getElementById('cart-lines');
  if (!list) return;
  list.replaceChildren();
  if (lines.length === 0) {
    const empty = document.createElement('li');
    empty.className = 'empty';
    empty.textContent = 'Your cart is empty.';
    list.append(empty);
  }
  let subtotal = 0;
  for (const line of lines) {
    const product = catalog[line.id] || { title: line.id, price: 0 };
    subtotal += product.price * line.quantity;
    const li = document.createElement('li');
    li.className = 'cart-line';
    li.dataset.product = line.id;
    const img = document.createElement('img');
    img.src = product.image || '';
    img.alt = '';
    img.width = 64;
    img.height = 64;
    const title = document.createElement('a');
    title.href = product.url || '#';
    title.textContent = product.title;
    const qty = document.createElement('input');
    qty.type = 'number';
    qty.min = '0';
    qty.value = String(line.quantity);
    qty.setAttribute('aria-label', `Quantity of ${product.title}`);
    qty.addEventListener('change', () => setQuantity(line.id, Math.max(0, parseInt(qty.value, 10) || 0)));
    const price = document.createElement('span');
    price.className = 'line-price';
    price.textContent = money.format(product.price * line.quantity);
    const remove = document.createElement('button');
    remove.type = 'button';
    remove.className = 'remove';
    remove.textContent = 'Remove';
    remove.addEventListener('click', () => setQuantity(line.id, 0));
    li.append(img, title, qty, price, remove);
    list.append(li);
  }
  const total = document.getElementById('cart-subtotal');
  if (total) total.textContent = money.format(subtotal);
}

// The widget's "Add to cart" lands here. A real store would POST to its backend; the
// promise resolving is what lets the widget say "Added".
window.cartlift?.onAddToCart(async (item) => {
  await new Promise((resolve) => setTimeout(resolve, 150));
  add(item.id, item.quantity);
});

for (const button of document.querySelectorAll('[data-add]')) {
  button.addEventListener('click', () => {
    add(button.dataset.add);
    button.textContent = 'Added to cart';
    setTimeout(() => { button.textContent = 'Add to cart'; }, 1500);
  });
}

// Another tab changed the cart: follow it.
window.addEventListener('storage', (e) => { if (e.key === KEY) changed(load()); });
changed(load());
