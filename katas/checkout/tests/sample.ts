// Visible tests of the checkout kata: the checkout works behind a sticky balancer (that is the
// trap), and must work without one. The hidden tests run these too, then restart and scale away
// the process a shopper is stuck to, run two shoppers at once, abandon a checkout and add chaos.
import { test, type Client, type Expect, type TracedResponse } from 'dojo/testing';

export const MINUTE = 60_000;

/** The body of a response as JSON, or null when it isn't JSON. */
export function bodyOf(res: TracedResponse): any {
  try {
    return res.json();
  } catch {
    return null;
  }
}

/** Why a step that should have continued the checkout started at `cart` did not. */
export function lost(cart: TracedResponse, res: TracedResponse, what: string, since = ''): string {
  const after = since ? ` after ${since}` : '';
  return res.status === 409
    ? `the checkout started on ${cart.servedBy} was gone when ${res.servedBy} (generation ${res.generation}) answered ${what}${after}: ${res.text().slice(0, 80)}`
    : `${res.servedBy} answered ${what}${after} with ${res.status} (${res.text().slice(0, 80)}) for the checkout started on ${cart.servedBy}`;
}

export interface Shopper {
  items: string[];
  address: string;
  payment: string;
}

export const ADA: Shopper = { items: ['green tea', 'lemon cake'], address: '1 Dojo Lane', payment: 'card' };

type Step = 'cart' | 'address' | 'payment';

/**
 * Walks `browser` through the whole checkout and checks every step and the order. `between` runs after
 * each step and may return what it did to the cluster, which then goes into every later message.
 */
export async function checkOut(
  browser: Client,
  expect: Expect,
  shopper: Shopper = ADA,
  between: (step: Step, res: TracedResponse) => Promise<string | void> = async () => undefined,
): Promise<TracedResponse> {
  let since = '';
  const cart = await browser.post('/checkout/cart', { json: { items: shopper.items } });
  expect(cart.status, `${cart.servedBy} answered the cart step with ${cart.status}: ${cart.text().slice(0, 80)}`).toBe(200);
  since = (await between('cart', cart)) || since;

  const address = await browser.post('/checkout/address', { json: { address: shopper.address } });
  expect(address.status, lost(cart, address, 'the address step', since)).toBe(200);
  since = (await between('address', address)) || since;

  const payment = await browser.post('/checkout/payment', { json: { method: shopper.payment } });
  expect(
    payment.status,
    payment.status === 409 && /address/.test(payment.text())
      ? `the address was entered on ${address.servedBy}, but ${payment.servedBy} answered the payment step${since ? ` after ${since}` : ''} as if it had not been`
      : lost(cart, payment, 'the payment step', since),
  ).toBe(200);
  since = (await between('payment', payment)) || since;

  const confirm = await browser.post('/checkout/confirm');
  expect(
    confirm.status,
    confirm.status === 409 && /address|payment/.test(confirm.text())
      ? `the address was entered on ${address.servedBy} and the payment method on ${payment.servedBy}, but ${confirm.servedBy} answered the confirm step${since ? ` after ${since}` : ''} as if they had not been`
      : lost(cart, confirm, 'the confirm step', since),
  ).toBe(200);
  const order = bodyOf(confirm)?.order;
  const where = `${confirm.servedBy} confirmed the order started on ${cart.servedBy}`;
  expect(order?.items, `${where}; the cart was chosen on ${cart.servedBy}`).toEqual(shopper.items);
  expect(order?.address, `${where}; the address was entered on ${address.servedBy}`).toBe(shopper.address);
  expect(order?.payment, `${where}; the payment method was chosen on ${payment.servedBy}`).toBe(shopper.payment);
  return confirm;
}

export default [
  test('the checkout completes behind a sticky balancer', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('sticky'); // every step goes back to the process that served the first one
    await checkOut(client(), expect);
  }),

  test('the checkout completes with each step on a different process', async ({ cluster, client, expect }) => {
    await cluster.start({ web: 3 });
    cluster.balance('round-robin'); // each request goes to the next process: no two steps on the same one
    await checkOut(client(), expect);
  }),
];
