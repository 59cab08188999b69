import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OutputCapture } from '../../src/executors/output-capture.ts';
import { SecretMask } from '../../src/config/index.ts';
import { collect } from './helpers.ts';

describe('output capture', () => {
  it('keeps output up to the limit across both streams, then counts and drops', () => {
    const sink = collect();
    const capture = new OutputCapture(sink, 10);
    capture.write('stdout', Buffer.from('hello '));
    capture.write('stderr', Buffer.from('world!!'));
    capture.write('stdout', Buffer.from('more'));
    capture.finish();
    assert.equal(sink.text('stdout'), 'hello ');
    assert.equal(sink.text('stderr'), 'worl');
    assert.match(sink.text('system'), /capture limit of 10 B/);
    assert.equal(capture.bytes, 17);
    assert.equal(capture.truncated, true);
  });

  it('never splits a UTF-8 character, at a chunk edge or at the limit', () => {
    const sink = collect();
    const capture = new OutputCapture(sink, 7);
    const bytes = Buffer.from('aé€x'); // 1 + 2 + 3 + 1 bytes
    capture.write('stdout', bytes.subarray(0, 2));
    capture.write('stdout', bytes.subarray(2, 7));
    capture.finish();
    assert.equal(sink.text('stdout'), 'aé€x');

    const cut = collect();
    const capped = new OutputCapture(cut, 4);
    capped.write('stdout', Buffer.from('aé€'));
    capped.finish();
    assert.equal(cut.text('stdout'), 'aé');
    assert.equal(capped.truncated, true);
  });

  it('masks a secret even when it arrives split across chunks', () => {
    const sink = collect();
    const capture = new OutputCapture(sink, 1000, SecretMask.of(['s3cr3t-token']));
    capture.write('stdout', Buffer.from('token=s3cr'));
    capture.write('stdout', Buffer.from('3t-token done\n'));
    capture.write('stdout', Buffer.from('ends with s3c'));
    capture.finish();
    assert.equal(sink.text('stdout'), 'token=*** done\nends with s3c');
  });

  it('does not count system lines against the limit', () => {
    const sink = collect();
    const capture = new OutputCapture(sink, 3);
    capture.system('a line of its own');
    capture.write('stdout', Buffer.from('abc'));
    capture.finish();
    assert.equal(capture.truncated, false);
    assert.equal(sink.text('system'), 'a line of its own\n');
  });

  it('goes on when the sink throws', () => {
    const capture = new OutputCapture(
      {
        onOutput() {
          throw new Error('sink broke');
        },
      },
      100,
    );
    capture.write('stdout', Buffer.from('x'));
    capture.finish();
    assert.equal(capture.bytes, 1);
  });
});
