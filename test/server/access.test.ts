import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACCESS } from '../../server/access.js';
import { contract } from './helpers.js';

describe('the access table', () => {
  it('names every operation of the contract, and opens to anonymous visitors exactly those the contract does', () => {
    const operations = [...contract().operations.values()];
    assert.deepEqual(Object.keys(ACCESS).sort(), operations.map((op) => op.operationId).sort());
    for (const operation of operations) {
      assert.equal(ACCESS[operation.operationId].who === 'anyone', !operation.requiresAuth, operation.operationId);
    }
  });
});
