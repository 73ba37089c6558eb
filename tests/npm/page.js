// The store's page code for tests/e2e/npm_package.rs: the basket, an add handler that
// records what it was asked to add, and every cartlift event's detail, as sent.
window.__added = [];
window.__events = [];
for (const name of ['impression', 'click', 'add-to-cart', 'dismiss']) {
  document.addEventListener(`cartlift:${name}`, (e) => {
    window.__events.push({ type: e.type, detail: JSON.parse(JSON.stringify(e.detail)) });
  });
}
// Suggestion links stay on this page (it has no product pages): the click event is sent
// before this listener runs.
document.addEventListener('click', (e) => {
  if (e.composedPath().some((n) => n.tagName === 'A')) e.preventDefault();
});
cartlift.setBasket([{ id: 'cam-dome-4mp', quantity: 1 }]);
cartlift.onAddToCart(async (item) => { window.__added.push(item); });
