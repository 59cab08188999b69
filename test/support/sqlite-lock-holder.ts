/**
 * Another process holding an SQLite database's write lock, for real: a child `node -e` opens the
 * file with node:sqlite, runs `BEGIN IMMEDIATE`, says so, and holds the lock until told to
 * release it (or killed).
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';

const node = path.resolve(import.meta.dirname, '../../node_modules/.bin/node');

const holderScript = `
const { DatabaseSync } = require('node:sqlite');
const database = new DatabaseSync(process.argv[1], { timeout: 5000 });
database.exec('BEGIN IMMEDIATE');
process.stdout.write('held\\n');
process.stdin.once('data', () => {
  database.exec('ROLLBACK');
  database.close();
  process.stdout.write('released\\n');
  process.exit(0);
});
`;

export class SqliteLockHolder {
  readonly #child: ChildProcess;

  private constructor(child: ChildProcess) {
    this.#child = child;
  }

  /** Resolves once the child holds the write lock of the database file `file`. */
  static async hold(file: string): Promise<SqliteLockHolder> {
    const child = spawn(node, ['-e', holderScript, file], { stdio: ['pipe', 'pipe', 'inherit'] });
    const holder = new SqliteLockHolder(child);
    await holder.#waitFor('held');
    return holder;
  }

  /** Gives the lock back and waits for the child to exit. */
  async release(): Promise<void> {
    if (this.#child.exitCode !== null) return;
    const exited = once(this.#child, 'exit');
    this.#child.stdin?.write('release\n');
    await exited;
  }

  async #waitFor(word: string): Promise<void> {
    let seen = '';
    const stdout = this.#child.stdout;
    if (stdout === null) throw new Error('the lock holder has no stdout');
    await new Promise<void>((resolve, reject) => {
      const onData = (chunk: Buffer): void => {
        seen += chunk.toString();
        if (seen.includes(word)) {
          stdout.off('data', onData);
          resolve();
        }
      };
      stdout.on('data', onData);
      this.#child.once('exit', (code) =>
        reject(new Error(`the lock holder exited (${code}) before "${word}"`)),
      );
    });
  }
}
