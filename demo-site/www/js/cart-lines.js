// The demo store's cart lines and subtotal, drawn while the page is parsed (a classic
// script placed right after the list, with the catalog embedded in the page), so the
// first paint already shows them and nothing moves later. store.js redraws through
// window.watchpostDrawCart when the cart changes.
(() => {
  const fa = document.documentElement.lang === 'fa';
  const prefix = fa ? '/fa' : '';
  const t = (en, persian) => (fa ? persian : en);
  const money = new Intl.NumberFormat(fa ? 'fa-IR' : 'en-US', { style: 'currency', currency: 'USD' });
  let catalog = {};
  try { catalog = JSON.parse(document.getElementById('store-feed').textContent); } catch { /* none */ }

  function draw(lines) {
    const list = document.getElementById('cart-lines');
    if (!list) return;
    list.replaceChildren();
    if (lines.length === 0) {
      const empty = document.createElement('li');
      empty.className = 'empty';
      empty.textContent = t('Your cart is empty.', 'سبد خرید شما خالی است.');
      list.append(empty);
    }
    let subtotal = 0;
    let discount = 0;
    for (const line of lines) {
      const product = catalog[line.id] || { title: line.id, price: 0 };
      subtotal += product.price * line.quantity;
      // The bundle discount the widget promised: 5% off what was added as a whole bundle.
      if (line.discount === 'BUNDLE5') discount += Math.round(product.price * line.quantity * 5) / 100;
      const li = document.createElement('li');
      li.className = 'cart-line';
      li.dataset.product = line.id;
      const img = document.createElement('img');
      img.src = product.image || '';
      img.alt = '';
      img.width = 64;
      img.height = 64;
      const title = document.createElement('a');
      title.href = product.url ? prefix + product.url : '#';
      title.textContent = product.title;
      const qty = document.createElement('input');
      qty.type = 'number';
      qty.min = '0';
      qty.value = String(line.quantity);
      qty.setAttribute('aria-label', t(`Quantity of ${product.title}`, `تعداد ${product.title}`));
      qty.addEventListener('change', () => window.watchpostSetQuantity?.(line.id, Math.max(0, parseInt(qty.value, 10) || 0)));
      const price = document.createElement('span');
      price.className = 'line-price';
      price.textContent = money.format(product.price * line.quantity);
      const remove = document.createElement('button');
      remove.type = 'button';
      remove.className = 'remove';
      remove.textContent = t('Remove', 'حذف');
      remove.addEventListener('click', () => window.watchpostSetQuantity?.(line.id, 0));
      li.append(img, title, qty, price, remove);
      list.append(li);
    }
    let total = document.getElementById('cart-subtotal');
    if (!total) {
      const p = document.createElement('p');
      p.className = 'cart-total';
      total = document.createElement('strong');
      total.id = 'cart-subtotal';
      p.append(t('Subtotal:', 'جمع:'), ' ', total);
      list.after(p);
    }
    total.textContent = discount > 0
      ? `${money.format(subtotal - discount)} (${t('bundle discount', 'تخفیف بسته')} −${money.format(discount)})`
      : money.format(subtotal);
  }

  window.watchpostDrawCart = draw;
  let lines = [];
  try { lines = JSON.parse(localStorage.getItem('watchpost-cart') || '[]'); } catch { /* none */ }
  draw(Array.isArray(lines) ? lines : []);
})();
