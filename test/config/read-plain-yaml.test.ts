import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDocument } from 'yaml';
import { ConfigError, loadJobFileText } from '../../src/config/index.ts';
import { readPlainYaml } from '../../src/config/read-plain-yaml.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

/** What the positioned reading (the `yaml` package's document) makes of a text, or `refused`. */
function positionedReading(text: string): unknown {
  const document = parseDocument(text, { prettyErrors: false, uniqueKeys: false });
  if (document.errors.length > 0) return 'refused';
  try {
    return document.toJS({ maxAliasCount: -1 });
  } catch {
    return 'refused';
  }
}

const scalars = [
  ...['1', '+1', '-1', '0', '-0', '00', '017', '0o17', '0x1F', '0b11', '1_000', '9007199254740993'],
  ...['1.5', '.5', '5.', '-.5', '1e3', '1E3', '-1.5e-3', '+.inf', '-.Inf', '.NaN', '.nan', '0.0', '1.2.3'],
  ...['true', 'True', 'TRUE', 'tRue', 'yes', 'no', 'on', 'off', 'y', 'n', 'null', 'Null', 'NULL', '~', ''],
  ...['2024-01-01', '2024-01-01T00:00:00Z', '12:30', '1:20:30', '1e', 'e1', '0x', '.', '-', '=', 'a#b'],
  ...['"1"', "'1'", '"a\\tb"', "'it''s'", '"\\u00e9"', '"\\x41"', 'x # comment', '"$HOME"', 'echo $HOME'],
  ...['{a: 1}', '[1, 2]', '{job}', '[echo, {job}]', '"*/5 * * * *"', 'every 10s', 'http://h/{t}?a=1'],
];

const texts = [
  ...scalars.flatMap((scalar) => [`k: ${scalar}\n`, `- ${scalar}\n`, `${scalar}: v\n`]),
  'k: |\n  a\n  b\n',
  'k: >\n  a\n  b\n\n  c\n',
  'k: |-\n  a\n',
  'k: |+\n  a\n\n',
  'k: >-\n\n  a\n',
  'k: |2\n   a\n',
  'k: "a\n  b"\n',
  "k: 'a\n\n  b'\n",
  'k: a\n  b\n',
  'a:\n- 1\n- 2\n',
  '- - a\n  - b\n',
  '? a\n: 1\n',
  '? [a]\n: 1\n',
  'k: [a, b,]\n',
  'k: {a: 1,}\n',
  'k: 1\n...\n',
  '---\nk: 1\n',
  'k: a # c\n# d\n',
  '<<: {a: 1}\n',
  '__proto__: {a: 1}\n',
  'k:\n  __proto__: 1\n',
  'k: a\r\nj: |\r\n  x\r\n  y\r\nm: >\r\n  p\r\n  q\r\n',
  '\uFEFFk: 1\n',
  'k: "\\N\\_\\L"\n',
  'k: plain\n  multi\n\n  para\n',
  '{}',
  '[]',
  'version: 1\njobs:\n  a: { schedule: "0 * * * *", run: "true" }\n  b:\n    schedule: every 10s\n    run: [echo, hi]\n',
];

describe('reading a job file without a document of positions', () => {
  it('reads every text it accepts exactly as the positioned reading does', () => {
    let read = 0;
    for (const text of texts) {
      const plain = readPlainYaml(text);
      if (plain === undefined) continue;
      read++;
      assert.deepEqual(plain, positionedReading(text), JSON.stringify(text));
    }
    // The quick reading must be the usual one, not a path that declines everything.
    assert.ok(read >= texts.length - 20, `read ${read} of ${texts.length}`);
  });

  it('declines what the two readers resolve differently, or what needs the document', () => {
    const declined = {
      'a tag the readers resolve differently': 'k: !!float 1\n',
      'a custom tag': 'k: !custom x\n',
      'a directive': '%YAML 1.1\n---\nk: yes\n',
      'a null key': '~: v\n',
      'a key written null': 'null: v\n',
      'a reference to substitute': 'k: "${TOKEN}"\n',
      'a default to substitute': 'k: ${PORT:-80}\n',
      'an escaped dollar': 'k: a$$b\n',
      'an alias': 'a: &x 1\nb: *x\n',
      'a duplicate key': 'a: 1\na: 2\n',
      'a syntax error': 'k: [a\n',
      'two documents': 'a: 1\n---\nb: 2\n',
      'an empty file': '',
    };
    for (const [what, text] of Object.entries(declined)) {
      assert.equal(readPlainYaml(text), undefined, what);
    }
  });

  it('still locates a problem of a file it read, by line and column', () => {
    const text = 'version: 1\njobs:\n  a: { schedule: "0 * * * *", run: "true" }\n  b:\n    schedule: 5\n';
    assert.notEqual(readPlainYaml(text), undefined);
    assert.throws(
      () => loadJobFileText(text, 'cronplane.yaml', { kinds: builtinKinds, env: {} }),
      (thrown: unknown) => {
        assert.ok(thrown instanceof ConfigError);
        const [problem] = thrown.problems;
        assert.equal(thrown.problems.length, 1);
        assert.deepEqual(
          [problem?.file, problem?.line, problem?.column, problem?.path],
          ['cronplane.yaml', 5, 15, 'jobs.b.schedule'],
        );
        return true;
      },
    );
  });

  it('substitutes and types a value as before, through the positioned reading', () => {
    const text =
      'version: 1\njobs:\n  a:\n    schedule: every 10s\n    run: "true"\n    retry:\n      attempts: ${TRIES}\n';
    const loaded = loadJobFileText(text, 'cronplane.yaml', { kinds: builtinKinds, env: { TRIES: '3' } });
    assert.equal(loaded.jobFile.jobs?.['a']?.retry?.attempts, 3);
  });
});
