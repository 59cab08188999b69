import { CronplaneError } from '../../errors/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { browserOpener, openInBrowser } from '../open-in-browser.ts';
import { reportError } from '../report-error.ts';
import { serverUrlOf } from '../server-url-of.ts';

export interface DashboardOptions {
  readonly server?: string;
  /** False (`--no-open`): print the link only, even where a desktop is present. */
  readonly open?: boolean;
}

/**
 * `cronplane dashboard`: asks the daemon (with CRONPLANE_TOKEN) for a one-time sign-in code and
 * prints `<server>/signin#code=<code>`. The code is in the fragment, which browsers never send,
 * so neither it nor the token reaches a server log; it signs in once, within two minutes. Where a
 * desktop is present (macOS, or DISPLAY / WAYLAND_DISPLAY set) it also opens the link in the
 * browser, unless `--no-open`; `platform` is the machine's unless a test gives another.
 */
export async function runDashboard(
  options: DashboardOptions,
  io: CliIo,
  platform: NodeJS.Platform = process.platform,
): Promise<number> {
  try {
    const base = serverUrlOf(options.server, io.env);
    const token = io.env['CRONPLANE_TOKEN'];
    if (token === undefined || token === '') {
      throw new CronplaneError(
        'cli.token',
        'set CRONPLANE_TOKEN to an API token of any scope (create one with: cronplane token create NAME --scope read)',
      );
    }
    let answer: Response;
    try {
      answer = await fetch(`${base}/api/session/code`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        signal: AbortSignal.timeout(10_000),
      });
    } catch (thrown) {
      io.err(`error: no daemon answers at ${base}: start one with cronplane start, or pass --server`);
      io.err(`(${thrown instanceof Error ? thrown.message : String(thrown)})`);
      return ExitCode.failure;
    }
    const body = (await answer.json().catch(() => undefined)) as
      { code?: string; error?: { message?: string } } | undefined;
    if (answer.status !== 201 || body?.code === undefined) {
      io.err(`error: the daemon at ${base} refused: ${body?.error?.message ?? `HTTP ${answer.status}`}`);
      return ExitCode.failure;
    }
    const link = `${base}/signin#code=${body.code}`;
    io.out(link);
    const opener = options.open === false ? undefined : browserOpener({ env: io.env, platform });
    if (opener === undefined) {
      io.err(
        'open this link in a browser: it signs in once, within 2 minutes, with the token in CRONPLANE_TOKEN',
      );
      return ExitCode.ok;
    }
    const failure = await openInBrowser(opener, link, io.env);
    io.err(
      failure === undefined
        ? 'opening it in your browser (it signs in once, within 2 minutes; --no-open only prints it)'
        : `note: could not open a browser with ${opener} (${failure}); open the link above by hand within 2 minutes`,
    );
    return ExitCode.ok;
  } catch (thrown) {
    return reportError(thrown, io);
  }
}
