// The payment provider's client library, a stand-in for Stripe's SDK: use it as it is. The provider keeps its
// records in the key-value store under `payments:charge:…` (the tests read them, as you would read the provider's
// dashboard); leave those keys alone.
import type { Env } from 'dojo';

export interface Charge {
  id: string;
  customer: string;
  amount: number;
}

/**
 * Charges a customer's card `amount` cents and answers the charge. With an `idempotencyKey`, the provider makes at
 * most one charge per key however often it is called, as Stripe does: a later call with the same key makes no new
 * charge and answers the first one. Without a key, every call is a new charge.
 */
export async function charge(env: Env, request: { customer: string; amount: number; idempotencyKey?: string }): Promise<Charge> {
  const made: Charge = { id: `ch_${crypto.randomUUID().replaceAll('-', '').slice(0, 16)}`, customer: request.customer, amount: request.amount };
  // One call at the provider, so it is all or nothing: record this charge unless the key already has one, and
  // answer that one if it does.
  const earlier = await env.kv.set(`payments:charge:${request.idempotencyKey ?? made.id}`, JSON.stringify(made), { NX: true, GET: true });
  return earlier === null ? made : (JSON.parse(earlier) as Charge);
}
