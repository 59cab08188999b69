import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCommandExecutor } from '../../src/executors/index.ts';
import { collect, commandSpec, request } from './helpers.ts';

const executor = createCommandExecutor();

describe('command output', () => {
  it('streams stdout and stderr to the sink as they arrive', async () => {
    const sink = collect();
    const controller = new AbortController();
    const running = executor.execute(
      request(commandSpec({ argv: ['sh', '-c', 'echo first; echo oops >&2; sleep 5'] })),
      sink,
      controller.signal,
    );
    const deadline = Date.now() + 2000;
    while (
      !(sink.text('stdout') === 'first\n' && sink.text('stderr') === 'oops\n') &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(sink.text('stdout'), 'first\n', 'stdout arrived while the command still ran');
    assert.equal(sink.text('stderr'), 'oops\n');
    controller.abort();
    assert.equal((await running).outcome, 'cancelled');
  });

  it('caps a flood of 200 MB at the capture limit with flat memory, and still finds the final metrics line', async () => {
    const sink = collect();
    const before = process.memoryUsage().rss;
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
    const result = await executor.execute(
      request(
        commandSpec({
          argv: [
            'sh',
            '-c',
            `head -c 100000000 /dev/zero & head -c 100000000 /dev/zero >&2; wait; echo; echo '{"rows": 5}'`,
          ],
          metricsFromStdout: true,
        }),
        { captureLimitBytes: 64 * 1024 },
      ),
      sink,
    );
    clearInterval(sampler);
    peak = Math.max(peak, process.memoryUsage().rss);
    assert.equal(result.outcome, 'success');
    assert.equal(result.truncated, true);
    assert.equal(result.outputBytes, 200_000_000 + 1 + 12);
    const kept = Buffer.byteLength(sink.text('stdout')) + Buffer.byteLength(sink.text('stderr'));
    assert.ok(kept <= 64 * 1024, `kept ${kept} bytes`);
    assert.deepEqual(result.metrics, { rows: 5 });
    assert.match(sink.text('system'), /capture limit of 64 KiB/);
    const growth = (peak - before) / 1024 / 1024;
    assert.ok(growth < 100, `memory grew by ${growth.toFixed(1)} MiB`);
  });
});
