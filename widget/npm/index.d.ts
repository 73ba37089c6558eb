// Types for cartlift's page API: `window.cartlift`, the <cartlift-suggestions> element and
// the events it dispatches. cartlift.js defines them at run time; this file only describes
// them, so editors complete them and `tsc --strict` checks a store's code against them.
//
// Use from TypeScript (the widget itself is served from node_modules/cartlift-widget/ or a
// copy of those files, with a <script type="module"> tag, not bundled):
//
//   import type {} from 'cartlift-widget';   // or: /// <reference types="cartlift-widget" />
//   cartlift.setBasket([{ id: 'SKU-123', quantity: 1, price: 79 }]);
//   document.addEventListener('cartlift:add-to-cart', (e) => console.log(e.detail.items));
//
// The shapes follow widget/src/events.rs, widget/src/basket.rs and widget/src/adapter/js.rs;
// the end-to-end test tests/e2e/npm_package.rs type-checks the details a real widget sends
// against them.

/** A product or variant id: the catalog's string, or a platform's number. */
export type CartliftId = string | number;

/** Where a `<cartlift-suggestions>` element shows suggestions. */
export type CartliftPlacement = 'product' | 'cart' | 'checkout' | 'confirmation';

/** One line of the basket, as `cartlift.setBasket` and the `order` attribute take it. */
export interface CartliftBasketLine {
  /** The catalog id (`products[].id`, or a `sku`, `handle`, `product_id` or `variant_id`). */
  id: CartliftId;
  /** The variant in the basket; `null` or absent: none. */
  variant?: CartliftId | null;
  /** Units, a whole number from 1 to 1,000,000; default 1. */
  quantity?: number;
  /** Unit price, a decimal in the store's currency; `null` or absent: the config's. */
  price?: number | null;
}

/** What `cartlift.onAddToCart`'s handler receives, once per item to add. */
export interface CartliftAddItem {
  id: string;
  variant: string | null;
  quantity: number;
  /** The placement the shopper added from. */
  placement: CartliftPlacement;
  /** The rules behind the suggestion. */
  rules: string[];
  /** The basket line an upgrade replaces (remove it once this one is in). */
  replaces: string | null;
  /** The bundle discount code to apply with a whole bundle (`store.bundle_discount_code`). */
  discount_code: string | null;
  /** The shopper's side of the holdout: keep it with the order for `cartlift report`. */
  bucket: 'treatment' | 'holdout';
  /** The holdout's experiment name, or `null` without one. */
  experiment: string | null;
}

/** One product as the store sells it now, answered to `cartlift.onProducts`' handler. */
export interface CartliftLiveProduct {
  id: CartliftId;
  /** Unit price now, a decimal in the store's currency. */
  price: number;
  /** The "was" price, if on sale. */
  compare_at_price?: number | null;
  /** Default true. */
  in_stock?: boolean;
  /** The variant an add adds. */
  variant?: CartliftId | null;
}

/** `window.cartlift`: calls made before the widget has loaded are kept and applied. */
export interface CartliftApi {
  /** The basket (the `js` cart): on load and after every change; placements re-rank. */
  setBasket(lines: CartliftBasketLine[]): void;
  /** The shopper's customer segments; rules with `conditions.segments` fire for them. */
  setSegments(names: string[]): void;
  /** Adds for the `js` cart: resolve once your cart has the item, reject if it failed. */
  onAddToCart(handler: (item: CartliftAddItem) => unknown): void;
  /** Live price and stock for the `js` cart: answer for the ids asked. */
  onProducts(
    handler: (ids: string[]) => CartliftLiveProduct[] | Promise<CartliftLiveProduct[]>,
  ): void;
  /** Re-reads a platform cart (Shopify, WooCommerce) after the page changed it. */
  refresh(): void;
}

/** What every event's `detail` carries. */
export interface CartliftEventBase {
  placement: CartliftPlacement;
  /** The shopper's side of the holdout (`store.holdout`). */
  bucket: 'treatment' | 'holdout';
  /** The holdout's experiment name, or `null` without one. */
  experiment: string | null;
  /** What the products the event names cost (units counted), when they have prices. */
  value?: number;
  /** The store's currency (ISO 4217), with `value`. */
  currency?: string;
}

/** `cartlift:impression`: a placement view was at least half visible (once per view). */
export interface CartliftImpressionDetail extends CartliftEventBase {
  products: string[];
  rules: string[];
  /** False for a held-out shopper, who saw nothing: what would have been shown. */
  shown: boolean;
}

/** `cartlift:click`: a suggestion's link was followed. */
export interface CartliftClickDetail extends CartliftEventBase {
  product: string;
  rules: string[];
}

/** `cartlift:add-to-cart`, cancellable: `preventDefault()` stops the add. */
export interface CartliftAddToCartDetail extends CartliftEventBase {
  items: { id: string; variant: string | null; quantity: number }[];
  rules: string[];
  replaces: string | null;
}

/** `cartlift:dismiss`: the shopper chose "Not interested". */
export interface CartliftDismissDetail extends CartliftEventBase {
  product: string;
  rules: string[];
}

/** Every event cartlift dispatches, by name. */
export interface CartliftEventMap {
  'cartlift:impression': CustomEvent<CartliftImpressionDetail>;
  'cartlift:click': CustomEvent<CartliftClickDetail>;
  'cartlift:add-to-cart': CustomEvent<CartliftAddToCartDetail>;
  'cartlift:dismiss': CustomEvent<CartliftDismissDetail>;
  /** On `document`, once the widget has loaded. */
  'cartlift:ready': CustomEvent<null>;
}

/**
 * `<cartlift-suggestions placement="product" product="SKU-123">`: attributes `placement`,
 * `product` (the product page's), `order` (a confirmation page's basket, JSON lines) and
 * `segments` (this placement's, space-separated).
 */
export interface CartliftSuggestionsElement extends HTMLElement {}

declare global {
  interface Window {
    cartlift: CartliftApi;
  }
  // `cartlift.setBasket(…)` as a global, as the README's snippets write it.
  var cartlift: CartliftApi;

  interface HTMLElementTagNameMap {
    'cartlift-suggestions': CartliftSuggestionsElement;
  }

  // The events bubble and are composed: they reach the element, its ancestors, the
  // document and the window. HTMLElementEventMap, DocumentEventMap and WindowEventMap all
  // extend this map, so every one of those targets' addEventListener knows them.
  interface GlobalEventHandlersEventMap extends CartliftEventMap {}
}
