// cartlift.js: the one file a store's script tag points at.
//
//   <script type="module" src="/cartlift/cartlift.js" data-config="/cartlift/config.json"></script>
//   <cartlift-suggestions placement="product" product="SKU-123"></cartlift-suggestions>
//
// It defines <cartlift-suggestions>, reserves each element's space at once (no layout
// shift), exposes window.cartlift (setBasket, setSegments, onAddToCart, onProducts, refresh), and loads the wasm
// module next to it (streaming compile) when the first element appears. Elements render
// when they come within 300px of the viewport. Calls made before the module is ready are
// queued, not lost. Nothing here throws into the page: failures are one console warning.
// All logic is in Rust (widget/src); this file only bridges.

const me = [...document.scripts].find((s) => s.src === import.meta.url) ||
  document.querySelector('script[src*="cartlift"][data-config]');
const attr = (name) => (me && me.getAttribute(name)) || null;
const settings = {
  config: attr('data-config'),
  cart: attr('data-cart') || 'js',
  cartUrl: attr('data-cart-url'),
  locale: attr('data-locale'),
  segments: attr('data-segments'),
  // Shopify's (the builds with its cart adapter read them): the shop's money format and
  // the page's currency (widget/src/shop_money.rs).
  moneyFormat: attr('data-money-format'),
  currency: attr('data-currency'),
};
const warn = (what, err) => console.warn(`cartlift: ${what}: ${(err && err.message) || err}`);
// The page's fetch, wrapped: the widget's GET of a URL asked for early (a Request object,
// as the widget sends) takes that response, abortable by the widget's timeout; a platform
// cart notices the theme's own cart changes (`watches`). Everything else passes through.
const fetch0 = window.fetch;
let watches = () => false;
let changed;
if (fetch0) window.fetch = function (input, init) {
  let p;
  try {
    const taken = input && input.method === 'GET' && asked.get(input.url);
    if (taken) {
      // The widget's timeout aborts the request itself: a hung request left running
      // would hold Chromium's cache lock on the URL, stalling the widget's retry.
      asked.delete(input.url);
      input.signal.onabort = () => taken[1].abort();
      return taken[0];
    }
    p = fetch0.apply(this, arguments);
    const url = typeof input === 'string' || input instanceof URL ? input : input && input.url;
    if (watches(url, (init && init.method) || (input && input.method))) p.then(changed, () => {});
  } catch (err) { /* never in the page's way */ }
  return p || fetch0.apply(this, arguments);
};

// Space is reserved before any data arrives, exactly what the widget's fixed-height layout
// fills (a row of --cartlift-row-height, plus the free-shipping line in the cart); a
// placement with nothing to show gives it back (data-empty). Zero specificity (:where), so any store CSS wins. A constructed sheet
// needs no inline <style>, so a strict Content-Security-Policy is fine.
try {
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(`:where(cartlift-suggestions){display:block;min-height:var(--cartlift-reserve);--cartlift-reserve:calc(var(--cartlift-row-height,384px) + 3px)}
:where(cartlift-suggestions[placement=cart],cartlift-suggestions[placement=checkout]){--cartlift-reserve:calc(var(--cartlift-row-height,384px) + 57px)}
:where(cartlift-suggestions[data-empty]){min-height:0}`);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
} catch (err) { /* very old browser: no reservation, still works */ }

// The page may call these at any time; until the module is ready the last basket, the
// last segments and the add handler are kept and handed over on start.
const early = { basket: undefined, onAdd: undefined };
// Builds of the same widget. A compiled config (`cartlift compile`, a .bin file) needs no
// JSON reader or validator, so it gets a small build with only its page's platform cart;
// JSON (fetched, inline, sharded) the full one. The build writes each wasm's SHA-384 here.
const INTEGRITY = {
  cartlift_widget: '',
  cartlift_compiled: '',
  cartlift_compiled_shopify: '',
  cartlift_compiled_woocommerce: '',
};
const compiled = (() => {
  try {
    return !document.getElementById('cartlift-config') &&
      new URL(settings.config || '', document.baseURI).pathname.endsWith('.bin');
  } catch (err) { return false; }
})();
const build = !compiled ? 'cartlift_widget'
  : settings.cart === 'shopify' || settings.cart === 'woocommerce' ? `cartlift_compiled_${settings.cart}`
    : 'cartlift_compiled';
let widget = null;
let loading = null;
let failed = false;
// A bug in the widget (a wasm trap) must not throw into the page's own code.
const guard = (fn) => { try { fn(); } catch (err) { warn('internal error', err); } };
const api = {
  setBasket(lines) { widget ? guard(() => widget.setBasket(lines)) : (early.basket = lines); },
  // An array of names (strings, not blank), handed over joined by spaces, so a string
  // with spaces is several names, as in data-segments; anything else is one warning and
  // the segments stay. Checked here, not in Rust: there (through js_value::Value, a
  // message per mistake) it cost the smallest build 0.4 KB brotli more.
  setSegments(names) {
    if (!Array.isArray(names) || !names.every((n) => typeof n == 'string' && n.trim())) {
      return warn('setSegments', "expected an array of names, like ['vip']");
    }
    const text = names.join(' ');
    widget ? guard(() => widget.setSegments(text)) : (early.segments = text);
  },
  onAddToCart(fn) { widget ? guard(() => widget.onAddToCart(fn)) : (early.onAdd = fn); },
  onProducts(fn) { widget ? guard(() => widget.onProducts(fn)) : (early.onProducts = fn); },
  refresh() { widget && guard(() => widget.cartChanged()); },
};
window.cartlift = api;

// What the first render needs is asked for at once, not each file after the one before:
// the glue, the wasm, the config and the platform cart's read (on a phone each waiting
// round trip is 50–150 ms). The widget's own GET of such a URL is then answered, once,
// with the response already on its way (see window.fetch above).
const asked = new Map();
const ask = (url, headers) => {
  try {
    const href = new URL(url, document.baseURI).href;
    const stop = new AbortController();
    asked.set(href, [fetch0(href, { headers, signal: stop.signal }), stop]);
  } catch (err) { /* the widget asks again itself */ }
};
const load = () => loading || (loading = (() => {
  // A tampered or truncated file is refused by its hash.
  const wasm = new URL(`${build}_bg.wasm`, import.meta.url);
  const source = fetch0(wasm, { integrity: INTEGRITY[build] }).catch((err) => {
    throw new Error(`${wasm.pathname} could not be fetched or does not match its integrity hash (${err.message})`);
  });
  if (settings.config && !document.getElementById('cartlift-config')) ask(settings.config);
  // The cart read as the platform adapter sends it (widget/src/adapter).
  const cart = { shopify: `${settings.cartUrl || ''}/cart.js`, woocommerce: `${settings.cartUrl || '/wp-json/wc/store/v1'}/cart` }[settings.cart];
  if (cart) ask(cart, { Accept: 'application/json' });
  return import(`./${build}.js`).then(async (m) => {
    await m.default({ module_or_path: source });
    m.start(settings);
    widget = m;
    if (early.onAdd !== undefined) m.onAddToCart(early.onAdd);
    if (early.onProducts !== undefined) m.onProducts(early.onProducts);
    if (early.basket !== undefined) m.setBasket(early.basket);
    if (early.segments !== undefined) m.setSegments(early.segments);
    document.dispatchEvent(new CustomEvent('cartlift:ready'));
    return m;
  });
})()
  .catch((err) => {
    // No wasm (an old browser, a blocked file): give the reserved space back, say so once.
    failed = true;
    document.querySelectorAll('cartlift-suggestions').forEach((el) => el.toggleAttribute('data-empty', true));
    warn('could not start (the page is unaffected)', err);
    return null;
  }));

const run = (fn) => load().then((m) => m && fn(m)).catch((err) => warn('internal error', err));

// The row of sections scrolls sideways. Its previous/next buttons (rendered by the widget,
// named from the store's texts) and the fade at a cut edge show only where there is more
// (data-back, data-more on .placement); a click scrolls by most of a row toward the logical
// start or end (scrollLeft runs negative in right to left), smoothly unless the shopper
// asks for reduced motion (only these scrolls: a smooth scroll-behavior on the strip also
// slowed the page's own scrollIntoView, and clicks landed where a card was not yet). A button that hides under
// the keyboard focus hands it to the other. Here, not in Rust: the JS costs fewer bytes.
// Rows are measured together once a frame, all reads before any write: measuring each
// row as it changed forced a layout per row (a 265 ms task with 200 placements).
const queued = new Set();
const edges = (el) => {
  if (!queued.size) requestAnimationFrame(() => {
    const rows = [...queued].map((el) => {
      const r = el.shadowRoot, s = r && r.querySelector('.strip');
      return s && [r, s.parentNode, Math.abs(s.scrollLeft), s.clientWidth, s.scrollWidth];
    });
    queued.clear();
    for (const row of rows) {
      if (!row) continue;
      const [r, p, at, width, all] = row, f = r.activeElement;
      p.toggleAttribute('data-back', at > 1);
      p.toggleAttribute('data-more', at + width < all - 1);
      if (f && !f.offsetParent) p.querySelector('.scroll:not(:focus)').focus();
    }
  });
  queued.add(el);
};
const resized = new ResizeObserver((entries) => entries.forEach((e) => edges(e.target)));
const mount = (m, el) => {
  m.mount(el);
  // The visibility observer may have reported before the element was mounted (observers
  // call back in no set order): the widget drops that report, so say it again.
  if (el.__cartliftInView) m.visible(el, true);
  const r = el.shadowRoot, moved = () => edges(el);
  resized.observe(el);
  if (r && !r.__cartliftRow) {
    r.__cartliftRow = 1;
    new MutationObserver(moved).observe(r, { childList: true, subtree: true });
    r.addEventListener('scroll', moved, true);
    r.addEventListener('click', ({ target: b }) => {
      const p = b.parentNode, s = p.querySelector('.strip');
      if (b.matches('.scroll')) {
        s.scrollBy({
          left: (b.matches('.next') ? 0.8 : -0.8) * (p.dir == 'rtl' ? -1 : 1) * s.clientWidth,
          behavior: matchMedia('(prefers-reduced-motion: reduce)').matches ? 'instant' : 'smooth',
        });
      }
    });
  }
};

// Render when near the viewport; report impressions when at least half visible.
const io = (cb, opts) => ('IntersectionObserver' in window ? new IntersectionObserver(cb, opts) : null);
const near = io((entries) => entries.forEach((e) => {
  if (e.isIntersecting) { near.unobserve(e.target); e.target.__cartliftNear = true; run((m) => e.target.isConnected && mount(m, e.target)); }
}), { rootMargin: '300px 0px' });
// "In view": half the element, or half the viewport for an element taller than that.
const seen = io((entries) => entries.forEach((e) => {
  const viewport = e.rootBounds ? e.rootBounds.height : innerHeight;
  const inView = e.isIntersecting &&
    (e.intersectionRatio >= 0.5 || e.intersectionRect.height >= viewport / 2);
  if (inView || e.target.__cartliftInView) run((m) => m.visible(e.target, inView));
  e.target.__cartliftInView = inView;
}), { threshold: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.75, 1] });

class CartliftSuggestions extends HTMLElement {
  static observedAttributes = ['placement', 'product', 'order', 'segments', 'max-items', 'heading'];
  connectedCallback() {
    if (failed) { this.toggleAttribute('data-empty', true); return; }
    load();
    if (near && !this.__cartliftNear) near.observe(this); else run((m) => this.isConnected && mount(m, this));
    if (seen) seen.observe(this);
  }
  disconnectedCallback() {
    if (near) near.unobserve(this);
    if (seen) seen.unobserve(this);
    resized.unobserve(this);
    run((m) => !this.isConnected && m.unmount(this));
  }
  attributeChangedCallback() { if (this.isConnected && (!near || this.__cartliftNear)) run((m) => mount(m, this)); }
}
if (!customElements.get('cartlift-suggestions')) {
  customElements.define('cartlift-suggestions', CartliftSuggestions);
}

// Platform carts: notice when the theme changes the cart (its own fetch/XHR to the cart
// API, or the platform's cart events) so suggestions re-rank. The page's requests pass
// through untouched; we only look at the URL and the outcome.
if (settings.cart !== 'js') {
  const pattern = settings.cart === 'shopify'
    ? /\/cart\/(add|change|update|clear)(\.js)?(\?|$)/
    : /\/wc\/store\/(v1\/)?(cart|batch)|wc-ajax=(add_to_cart|remove_from_cart|update_order_review)/;
  let timer = 0;
  changed = () => { clearTimeout(timer); timer = setTimeout(() => widget && guard(() => widget.cartChanged()), 50); };
  watches = (url, method) => (method || 'GET').toUpperCase() !== 'GET' && pattern.test(String(url));
  const open0 = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    try { if (watches(url, method)) this.addEventListener('loadend', changed); } catch (err) { /* ignore */ }
    return open0.apply(this, arguments);
  };
  for (const name of ['wc-blocks_added_to_cart', 'wc-blocks_removed_from_cart', 'cart:refresh', 'cart:updated']) {
    document.addEventListener(name, changed);
  }
  addEventListener('pageshow', (e) => e.persisted && changed());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'visible' && changed());
}
