import { spawn } from 'node:child_process';
import { coerceError } from '../errors/index.ts';

/** What deciding whether and how to open a browser reads of the machine. */
export interface DesktopSurroundings {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly platform: NodeJS.Platform;
}

/**
 * The program that opens a link in the desktop's browser, or undefined where no desktop is
 * present: `open` on macOS, `xdg-open` under X11 or Wayland (DISPLAY or WAYLAND_DISPLAY set).
 * A server reached over SSH has neither, and gets the link printed only.
 */
export function browserOpener({ env, platform }: DesktopSurroundings): string | undefined {
  if (platform === 'darwin') return 'open';
  const present = (name: string) => (env[name] ?? '') !== '';
  return present('DISPLAY') || present('WAYLAND_DISPLAY') ? 'xdg-open' : undefined;
}

/**
 * Starts `program url` (the link one argument, no shell between), detached and not waited for,
 * so the command ends while the browser stays. Answers why it could not start, or undefined.
 */
export function openInBrowser(
  program: string,
  url: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<string | undefined> {
  return new Promise((resolve) => {
    try {
      const child = spawn(program, [url], { detached: true, stdio: 'ignore', env, shell: false });
      child.once('error', (error) => resolve(error.message));
      child.once('spawn', () => {
        child.unref();
        resolve(undefined);
      });
    } catch (thrown) {
      resolve(coerceError(thrown).message);
    }
  });
}
