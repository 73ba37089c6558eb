// cartlift.js: the one file a store's script tag points at.
//
//   <script type="module" src="/cartlift/cartlift.js" data-config="/cartlift/config.json"></script>
//   <cartlift-suggestions placement="product" product="SKU-123"></cartlift-suggestions>
//
// It defines <cartlift-suggestions>, exposes window.cartlift (setBasket, onAddToCart),
// and loads the wasm module next to it. Calls made before the module is ready are
// queued, not lost. Nothing here throws into the page: failures are one console warning.
// All logic is in Rust (widget/src); this file only bridges.

const me = [...document.scripts].find((s) => s.src === import.meta.url) ||
  document.querySelector('script[src*="cartlift"][data-config]');
const settings = {
  config: me ? me.getAttribute('data-config') : null,
  cart: (me && me.getAttribute('data-cart')) || 'js',
  locale: me ? me.getAttribute('data-locale') : null,
};
const warn = (what, err) => console.warn(`cartlift: ${what}: ${(err && err.message) || err}`);

// The page may call these at any time; until the module is ready the last basket and the
// add handler are kept and handed over on start.
const early = { basket: undefined, onAdd: undefined };
let widget = null;
const api = {
  setBasket(lines) { widget ? widget.setBasket(lines) : (early.basket = lines); },
  onAddToCart(fn) { widget ? widget.onAddToCart(fn) : (early.onAdd = fn); },
};
window.cartlift = api;

const ready = import('./cartlift_widget.js')
  .then(async (m) => {
    await m.default({ module_or_path: new URL('cartlift_widget_bg.wasm', import.meta.url) });
    m.start(settings);
    widget = m;
    if (early.onAdd !== undefined) m.onAddToCart(early.onAdd);
    if (early.basket !== undefined) m.setBasket(early.basket);
    document.dispatchEvent(new CustomEvent('cartlift:ready'));
    return m;
  })
  .catch((err) => { warn('could not start (the page is unaffected)', err); return null; });

const run = (fn) => ready.then((m) => m && fn(m)).catch((err) => warn('internal error', err));

class CartliftSuggestions extends HTMLElement {
  static get observedAttributes() { return ['placement', 'product']; }
  connectedCallback() { run((m) => this.isConnected && m.mount(this)); }
  disconnectedCallback() { run((m) => !this.isConnected && m.unmount(this)); }
  attributeChangedCallback() { if (this.isConnected) run((m) => m.mount(this)); }
}
if (!customElements.get('cartlift-suggestions')) {
  customElements.define('cartlift-suggestions', CartliftSuggestions);
}
