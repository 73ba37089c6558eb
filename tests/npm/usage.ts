// A store's own TypeScript using cartlift's page API, as an editor would check it. Every
// `@ts-expect-error` line is a mistake the declarations must catch: tsc fails if one is
// not an error, and fails on the correct lines if the declarations did not load.
import type {
  CartliftAddItem,
  CartliftImpressionDetail,
  CartliftLiveProduct,
  CartliftSuggestionsElement,
} from 'cartlift-widget';

declare const myCart: { add(id: string, quantity: number): Promise<void> };

cartlift.setBasket([{ id: 'cam-dome-4mp', quantity: 1, price: 79 }, { id: 4410 }]);
window.cartlift.setSegments(['vip', 'returning']);
cartlift.onAddToCart(async (item: CartliftAddItem) => {
  await myCart.add(item.id, item.quantity);
  const why: string[] = item.rules;
  const code: string | null = item.discount_code;
  return [why, code, item.placement === 'cart'];
});
cartlift.onProducts(async (ids): Promise<CartliftLiveProduct[]> =>
  ids.map((id) => ({ id, price: 12.5, compare_at_price: null, in_stock: true })),
);
cartlift.refresh();

document.addEventListener('cartlift:add-to-cart', (e) => {
  const first: string | undefined = e.detail.items[0]?.id;
  if (e.detail.bucket === 'holdout' || first === undefined) e.preventDefault();
});
window.addEventListener('cartlift:click', (e) => e.detail.product.toUpperCase());
document.addEventListener('cartlift:ready', () => cartlift.refresh());

const placement: CartliftSuggestionsElement | null = document.querySelector('cartlift-suggestions');
placement?.addEventListener('cartlift:impression', (e) => {
  const seen: boolean = e.detail.shown;
  const experiment: string | null = e.detail.experiment;
  return [seen, experiment, e.detail.products.length];
});
placement?.addEventListener('cartlift:dismiss', (e) => e.detail.rules.join());
const made: CartliftSuggestionsElement = document.createElement('cartlift-suggestions');
made.setAttribute('placement', 'cart');

// @ts-expect-error quantity is a number
cartlift.setBasket([{ id: 'cam', quantity: '2' }]);
// @ts-expect-error a line needs an id
cartlift.setBasket([{ quantity: 1 }]);
// @ts-expect-error setSegments takes an array of names
cartlift.setSegments('vip');
// @ts-expect-error there is no such function
cartlift.addToCart('cam');
// @ts-expect-error an impression names products, not one product
document.addEventListener('cartlift:impression', (e) => e.detail.product);
// @ts-expect-error an add's items are objects, not ids
document.addEventListener('cartlift:add-to-cart', (e) => e.detail.items[0]?.toUpperCase());
// @ts-expect-error the bucket is treatment or holdout
const control: 'control' = ({} as CartliftImpressionDetail).bucket;
// @ts-expect-error a live product needs a price
const unpriced: CartliftLiveProduct = { id: 'cam' };

export { control, unpriced };
