// The shop's one page: the product list, with the stylesheet and the script it names.

/** The URLs the page names for its stylesheet and its script. */
export interface AssetUrls {
  'shop.css': string;
  'shop.js': string;
}

const PRODUCTS = [
  { id: 'sencha', name: 'Sencha', cents: 850 },
  { id: 'genmaicha', name: 'Genmaicha', cents: 700 },
  { id: 'hojicha', name: 'Hojicha', cents: 780 },
];

export function renderPage(urls: AssetUrls): Response {
  const items = PRODUCTS.map((product) =>
    `<li class="product"><h2>${product.name}</h2><p class="price">€${(product.cents / 100).toFixed(2)}</p>` +
    `<button type="button" data-product="${product.id}">Add ${product.name} to the cart</button></li>`).join('');
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Tea shop</title>
<link rel="stylesheet" href="${urls['shop.css']}">
<script src="${urls['shop.js']}" defer></script>
</head>
<body>
<header><h1>Tea shop</h1><span class="cart-badge" aria-label="0 items in the cart">0</span></header>
<p class="filter"><label>Find a tea <input type="search"></label></p>
<ul class="products">${items}</ul>
</body>
</html>`;
  return new Response(html, { headers: { 'content-type': 'text/html; charset=utf-8' } });
}
