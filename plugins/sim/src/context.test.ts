import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jobDurationFromEnv } from './context.js';

test('LSM_SIM_TIME: seconds as a decimal number, default 1 s', () => {
  assert.equal(jobDurationFromEnv(undefined), 1000);
  assert.equal(jobDurationFromEnv(''), 1000);
  assert.equal(jobDurationFromEnv('0'), 0);
  assert.equal(jobDurationFromEnv('0.1'), 100);
  assert.equal(jobDurationFromEnv('.25'), 250);
  assert.equal(jobDurationFromEnv(' 2 '), 2000);
});

test('LSM_SIM_TIME: anything else is refused', () => {
  for (const bad of ['-1', 'fast', '1e3', 'NaN', 'Infinity', '0x10', '1,5', '100000']) {
    assert.equal(jobDurationFromEnv(bad), undefined, bad);
  }
});
