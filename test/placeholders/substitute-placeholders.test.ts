import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quoteForShell, substitutePlaceholders } from '../../src/placeholders/index.ts';

describe('placeholders', () => {
  const params = { tenant_id: 'acme', job: 'nightly', odd: "o'brien; rm -rf /" };

  it('replaces each known {name} with its value', () => {
    assert.equal(
      substitutePlaceholders('--tenant={tenant_id} {job}/{tenant_id}', params),
      '--tenant=acme nightly/acme',
    );
  });

  it('leaves unknown names and non-placeholder braces as written', () => {
    assert.equal(
      substitutePlaceholders('{"a": {missing}} ${HOME} {1x}', params),
      '{"a": {missing}} ${HOME} {1x}',
    );
  });

  it('does not take names from the object prototype', () => {
    assert.equal(substitutePlaceholders('{constructor} {toString}', params), '{constructor} {toString}');
  });

  it('passes values through an encoder when given one (URLs)', () => {
    assert.equal(
      substitutePlaceholders('/t/{odd}', params, encodeURIComponent),
      "/t/o'brien%3B%20rm%20-rf%20%2F",
    );
  });

  it('quotes a value for a shell only when it holds unsafe characters', () => {
    assert.equal(quoteForShell('acme-1.2_x:y@z'), 'acme-1.2_x:y@z');
    assert.equal(quoteForShell('a b'), "'a b'");
    assert.equal(quoteForShell("o'brien; rm"), `'o'"'"'brien; rm'`);
    assert.equal(quoteForShell(''), "''");
  });
});
