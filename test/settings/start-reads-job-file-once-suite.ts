import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startDaemonProcess } from '../support/run-cronplane.ts';

const jobFile = 'version: 1\njobs:\n  hello: { schedule: every 1h, run: [echo, hello] }\n';

/**
 * `cronplane start` reads its job file once: the file here is a named pipe that gives its text
 * to one reader only, so a second read would wait forever and the daemon would never come up.
 */
export function defineStartReadsOnceSuite(storeName: string, makeStoreUrl: () => Promise<string>): void {
  describe(`cronplane start on ${storeName}`, () => {
    it('reads its job file once and starts from that reading', async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-start-once-'));
      const fifo = path.join(folder, 'cronplane.yaml');
      execFileSync('mkfifo', [fifo]);
      // Waits for the daemon to open the pipe, gives the text, and closes: one reading's worth.
      let written = false;
      const writing = writeFile(fifo, jobFile).then(() => (written = true));
      const storeUrl = await makeStoreUrl();
      try {
        const daemon = await startDaemonProcess(['--config', fifo, '--store', storeUrl, '--node', 'once']);
        try {
          assert.match(daemon.output(), /cronplane started: 1 jobs/);
        } finally {
          await daemon.stop();
        }
      } finally {
        // A daemon that never opened the pipe leaves the writer waiting: open it to let it go.
        if (!written) closeSync(openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK));
        await writing.catch(() => undefined);
      }
      assert.ok(written);
    });
  });
}
