/** The failed-authentication bucket per client address, and how addresses are grouped. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthFailureLimiter } from '../../src/api/limits/auth-failure-limiter.ts';
import { clientAddressKey } from '../../src/api/limits/client-address-key.ts';

describe('clientAddressKey', () => {
  it('keeps IPv4 addresses, reads IPv4-mapped IPv6 as IPv4, and groups IPv6 by /64', () => {
    assert.equal(clientAddressKey('203.0.113.9'), '203.0.113.9');
    assert.equal(clientAddressKey('::ffff:203.0.113.9'), '203.0.113.9');
    assert.equal(clientAddressKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
    assert.equal(clientAddressKey('2001:0DB8:0001:0002:ffff:eeee:dddd:cccc'), '2001:db8:1:2::/64');
    assert.equal(clientAddressKey('2001:db8::1'), '2001:db8:0:0::/64');
    assert.equal(clientAddressKey('::1'), '0:0:0:0::/64');
    assert.equal(clientAddressKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
    assert.equal(clientAddressKey('64:ff9b::192.0.2.33'), '64:ff9b:0:0::/64');
    assert.notEqual(clientAddressKey('2001:db8:1:2::1'), clientAddressKey('2001:db8:1:3::1'));
  });
});

describe('AuthFailureLimiter', () => {
  it('allows a burst, then one failure per refill period, counting only failures', () => {
    let now = 0;
    const limiter = new AuthFailureLimiter({ burst: 3, refillMs: 10_000, maxAddresses: 10 }, () => now);
    assert.deepEqual(
      [limiter.failed('a'), limiter.failed('a'), limiter.failed('a')],
      [false, false, true],
      'the third failure empties the bucket',
    );
    assert.equal(limiter.waitSeconds('a'), 10);
    assert.equal(limiter.waitSeconds('b'), 0);
    now = 2_500;
    assert.equal(limiter.waitSeconds('a'), 8);
    now = 10_000;
    assert.equal(limiter.waitSeconds('a'), 0);
    assert.equal(limiter.failed('a'), true);
    now = 40_000;
    assert.equal(limiter.waitSeconds('a'), 0);
    assert.equal(limiter.size, 0, 'a bucket full again and trusting nothing is forgotten');
  });

  it('remembers tokens that worked from an address, a few per address', () => {
    const limiter = new AuthFailureLimiter({ burst: 1, refillMs: 1000, maxAddresses: 10 }, () => 0);
    for (let index = 0; index < 10; index++) limiter.succeeded('a', `hash-${index}`);
    assert.equal(limiter.trusts('a', 'hash-9'), true);
    assert.equal(limiter.trusts('a', 'hash-0'), false, 'the oldest of more than 8 is dropped');
    assert.equal(limiter.trusts('b', 'hash-9'), false, 'per address');
  });

  it('follows at most maxAddresses, forgetting the one seen least recently', () => {
    const limiter = new AuthFailureLimiter({ burst: 2, refillMs: 60_000, maxAddresses: 100 }, () => 0);
    for (let index = 0; index < 10_000; index++) limiter.failed(`10.0.${index >> 8}.${index & 255}`);
    assert.equal(limiter.size, 100);
    limiter.failed('10.0.38.244');
    limiter.failed('10.0.38.244');
    assert.equal(limiter.waitSeconds('10.0.38.244'), 60, 'a recent address is still followed');
    assert.equal(limiter.waitSeconds('10.0.0.0'), 0, 'the oldest were forgotten');
  });
});
