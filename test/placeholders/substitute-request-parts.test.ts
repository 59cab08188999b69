import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CronplaneError } from '../../src/errors/index.ts';
import {
  bodyKind,
  jsonPlaceholderProblems,
  substituteBody,
  substituteHeader,
  substituteUrl,
} from '../../src/placeholders/index.ts';

const refused = (pattern: RegExp) => (thrown: unknown) =>
  thrown instanceof CronplaneError && pattern.test(thrown.message);

describe('placeholders in a URL', () => {
  it('percent-encodes a value in the path and the query, so it adds no segment or parameter', () => {
    const url = substituteUrl('https://api.example.com/t/{v}/x?q={v}&n=1#{v}', { v: 'a/b?c=d&e#f %2F' });
    const parsed = new URL(url);
    assert.equal(parsed.host, 'api.example.com');
    assert.equal(parsed.pathname, '/t/a%2Fb%3Fc%3Dd%26e%23f%20%252F/x');
    assert.deepEqual(
      [...parsed.searchParams],
      [
        ['q', 'a/b?c=d&e#f %2F'],
        ['n', '1'],
      ],
    );
  });

  it('refuses a value that would make a dot segment, which URL parsing removes', () => {
    assert.throws(() => substituteUrl('https://h/a/{v}/b', { v: '..' }), refused(/path segment "\.\."/));
    assert.throws(() => substituteUrl('https://h/a/.{v}', { v: '.' }), refused(/path segment "\.\."/));
    assert.equal(substituteUrl('https://h/a/{v}/b', { v: '...' }), 'https://h/a/.../b');
    assert.equal(
      substituteUrl('https://h/a?x={v}', { v: '..' }),
      'https://h/a?x=..',
      'the query has no segments',
    );
  });

  it('takes only host-name characters in the host and port', () => {
    assert.equal(
      substituteUrl('https://{t}.example.com:{p}/x', { t: 'eu-1', p: '8443' }),
      'https://eu-1.example.com:8443/x',
    );
    for (const value of ['evil.com/', 'user@evil.com', 'a:1', 'a b', 'evil.com#', '[::1]']) {
      assert.throws(
        () => substituteUrl('https://{t}.example.com/x', { t: value }),
        refused(/host or port/),
        value,
      );
    }
  });

  it('refuses a value that is not well-formed Unicode', () => {
    assert.throws(() => substituteUrl('https://h/{v}', { v: '\ud800' }), refused(/lone surrogate/));
  });
});

describe('placeholders in a body', () => {
  it('knows a body as JSON, a form or text from its Content-Type, or JSON by its first character', () => {
    assert.equal(bodyKind('{"a": 1}', undefined), 'json');
    assert.equal(bodyKind(' [1]', undefined), 'json');
    assert.equal(bodyKind('a={v}', undefined), 'text');
    assert.equal(bodyKind('x', 'application/vnd.api+json; charset=utf-8'), 'json');
    assert.equal(bodyKind('x', 'Application/JSON'), 'json');
    assert.equal(bodyKind('a=1', 'application/x-www-form-urlencoded'), 'form');
    assert.equal(bodyKind('{ query }', 'application/graphql'), 'text');
  });

  it('JSON-escapes a value inside a string, in keys and values alike', () => {
    const value = 'a"b\\c\n\u0000\u2028}{';
    const body = substituteBody('{"{v}": "x {v}", "n": 1}', 'json', { v: value });
    assert.deepEqual(JSON.parse(body), { [value]: `x ${value}`, n: 1 });
  });

  it('refuses a placeholder outside a JSON string, at load and at run', () => {
    assert.deepEqual(
      jsonPlaceholderProblems('{"a": {v}, "b": "{v}", "c": "\\"{v}"}', (name) => name === 'v').map(
        (p) => p.offset,
      ),
      [6],
    );
    assert.throws(() => substituteBody('{"a": {v}}', 'json', { v: '1' }), refused(/outside a string/));
  });

  it('form-encodes a value in a form body and leaves text as it is', () => {
    assert.equal(substituteBody('who={v}&n=1', 'form', { v: 'a&b=c d' }), 'who=a%26b%3Dc%20d&n=1');
    assert.equal(substituteBody('hello {v}', 'text', { v: 'a&b "c"' }), 'hello a&b "c"');
    assert.equal(substituteBody('hello {other}', 'text', { v: 'x' }), 'hello {other}');
  });
});

describe('placeholders in a header', () => {
  it('refuses a line break, NUL or control character, naming the header', () => {
    for (const value of ['a\r\nX-Evil: 1', 'a\nb', 'a\0b', 'a\x1bb', 'a\x7f']) {
      assert.throws(
        () => substituteHeader('X-Tenant', 't={v}', { v: value }),
        refused(/header X-Tenant would hold a line break/),
      );
    }
  });

  it('sends tabs and ASCII as they are and anything else as UTF-8 bytes', () => {
    assert.equal(substituteHeader('X-T', 'a\t{v}', { v: 'b c' }), 'a\tb c');
    assert.equal(Buffer.from(substituteHeader('X-T', '{v}', { v: 'é🙂' }), 'latin1').toString('utf8'), 'é🙂');
  });
});
