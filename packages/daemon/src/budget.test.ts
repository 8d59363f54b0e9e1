import { test } from 'node:test';
import assert from 'node:assert/strict';
import { type BudgetHolder, BufferBudget } from './budget.js';
import { StartLimiter } from './start-limiter.js';

test('the budget refuses the largest holder once the total passes the maximum', () => {
  const budget = new BufferBudget(100);
  const refused: string[] = [];
  const holder = (name: string): BudgetHolder => ({ overBudget: (held, max) => refused.push(`${name}:${held}/${max}`) });
  const a = holder('a');
  const b = holder('b');
  const c = holder('c');
  budget.set(a, 60);
  budget.set(b, 30);
  assert.equal(budget.total, 90);
  budget.set(c, 5);
  assert.deepEqual(refused, []);
  budget.set(b, 40); // 105: a holds the most
  assert.deepEqual(refused, ['a:60/100']);
  assert.equal(budget.total, 45);
  budget.release(b);
  budget.release(c);
  assert.equal(budget.total, 0);
});

test('the start limiter runs at most N at once, in order', async () => {
  const limiter = new StartLimiter(2);
  let running = 0;
  let most = 0;
  const order: number[] = [];
  await Promise.all(Array.from({ length: 7 }, (_, i) => limiter.run(async () => {
    running++;
    most = Math.max(most, running);
    await new Promise((r) => setTimeout(r, 5));
    order.push(i);
    running--;
  })));
  assert.equal(most, 2);
  assert.equal(order.length, 7);
  assert.equal(limiter.running, 0);
  await assert.rejects(limiter.run(async () => { throw new Error('boom'); }), /boom/);
  assert.equal(limiter.running, 0);
});
