// The shop's client-side sources, as a developer writes them: a stylesheet (with the accent colour the shop's
// theme setting picks) and a script, full of comments and white space. pipeline.ts turns them into what browsers get.

/** The accent colour when the store has no `theme:accent` setting. */
export const DEFAULT_ACCENT = '#d9480f';

/** The stylesheet's source, with the theme's accent colour. */
export function stylesheet(accent: string): string {
  return `
/* ------------------------------------------------------------------
   Tea shop: the one stylesheet of the shop's pages.
   The accent colour comes from the theme setting (theme:accent).
   ------------------------------------------------------------------ */

:root {
  --accent: ${accent};          /* buttons, links, the cart badge */
  --ink: #1f2328;               /* body text */
  --paper: #fffdf8;             /* page background */
  --muted: #5c6370;             /* secondary text */
  --radius: 6px;
}

/* Page layout: one column on phones, a grid from tablets up. */
body {
  margin: 0;
  font-family: system-ui, -apple-system, "Segoe UI", sans-serif;
  color: var(--ink);
  background: var(--paper);
  line-height: 1.5;
}

header {
  display: flex;
  align-items: center;
  justify-content: space-between;
  padding: 1rem 1.5rem;
  border-bottom: 2px solid var(--accent);
}

header h1 {
  margin: 0;
  font-size: 1.5rem;
}

/* The cart badge: the script updates its count. */
.cart-badge {
  display: inline-block;
  min-width: 1.5rem;
  padding: 0 0.4rem;
  border-radius: 999px;
  background: var(--accent);
  color: white;
  text-align: center;
  font-weight: 600;
}

/* The product list. */
.products {
  display: grid;
  gap: 1rem;
  padding: 1.5rem;
  grid-template-columns: 1fr;
}

@media (min-width: 40rem) {
  .products {
    grid-template-columns: repeat(3, 1fr);   /* three columns on wider screens */
  }
}

.product {
  padding: 1rem;
  border: 1px solid #e3e0d8;
  border-radius: var(--radius);
}

.product h2 {
  margin: 0 0 0.25rem;
  font-size: 1.1rem;
}

.product .price {
  color: var(--muted);
}

/* Buttons: the accent colour, and a visible focus ring for keyboard users. */
button {
  padding: 0.4rem 0.9rem;
  border: 0;
  border-radius: var(--radius);
  background: var(--accent);
  color: white;
  font: inherit;
  cursor: pointer;
}

button:focus-visible {
  outline: 3px solid var(--ink);
  outline-offset: 2px;
}

/* The filter box above the list. */
.filter {
  padding: 0 1.5rem;
}

.filter input {
  width: 100%;
  max-width: 24rem;
  padding: 0.4rem;
  border: 1px solid var(--muted);
  border-radius: var(--radius);
}
`;
}

/** The script's source: filters the product list as the visitor types, and counts what they add to the cart. */
export const SCRIPT = `
// ------------------------------------------------------------------
// Tea shop: the one script of the shop's pages.
// ------------------------------------------------------------------

/* The visitor's cart lives in the browser (localStorage): the server never keeps it. */
const CART_KEY = 'tea-shop:cart';

function readCart() {
  try {
    return JSON.parse(localStorage.getItem(CART_KEY) || '[]');
  } catch (error) {
    return [];   // a damaged cart is an empty cart
  }
}

function writeCart(items) {
  localStorage.setItem(CART_KEY, JSON.stringify(items));
  showCount(items.length);
}

function showCount(count) {
  const badge = document.querySelector('.cart-badge');
  if (badge) {
    badge.textContent = String(count);
    badge.setAttribute('aria-label', count + ' items in the cart');
  }
}

// Adding to the cart: every "Add" button carries its product's id.
function onAdd(event) {
  const button = event.target.closest('button[data-product]');
  if (!button) {
    return;
  }
  const items = readCart();
  items.push(button.dataset.product);
  writeCart(items);
}

// Filtering: hide the products whose name does not contain what was typed.
function onFilter(event) {
  const wanted = event.target.value.trim().toLowerCase();
  for (const product of document.querySelectorAll('.product')) {
    const name = product.querySelector('h2').textContent.toLowerCase();
    product.hidden = wanted !== '' && !name.includes(wanted);
  }
}

document.addEventListener('DOMContentLoaded', function () {
  showCount(readCart().length);
  document.querySelector('.products').addEventListener('click', onAdd);
  const filter = document.querySelector('.filter input');
  if (filter) {
    filter.addEventListener('input', onFilter);
  }
});
`;
