import { issueToken, jobPatternProblem, tokenName } from '../../api/index.ts';
import { CronplaneError } from '../../errors/index.ts';
import { isApiScope } from '../../store/index.ts';
import type { ApiScope } from '../../store/index.ts';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { reportError } from '../report-error.ts';
import type { StoreCommandOptions } from '../local-store.ts';
import { openCommandStore } from '../local-store.ts';

export interface TokenCreateOptions extends StoreCommandOptions {
  readonly scope: string;
  readonly jobs?: readonly string[];
}

export interface TokenListOptions extends StoreCommandOptions {
  readonly json?: boolean;
}

/**
 * `cronplane token create NAME --scope read|trigger|admin [--jobs 'cleanup-*']`: a new API
 * token, printed once on standard output; the store keeps only its hash.
 */
export async function runTokenCreate(name: string, options: TokenCreateOptions, io: CliIo): Promise<number> {
  try {
    if (!tokenName.safeParse(name).success) {
      throw new CronplaneError(
        'cli.token-name',
        `${JSON.stringify(name)} is not a token name: use letters, digits, ".", "_", "@", ":", "-"`,
      );
    }
    if (!isApiScope(options.scope)) {
      throw new CronplaneError(
        'cli.scope',
        `--scope ${JSON.stringify(options.scope)}: expected read, trigger or admin`,
      );
    }
    const scope: ApiScope = options.scope;
    const jobs = (options.jobs ?? [])
      .flatMap((entry) => entry.split(','))
      .filter((pattern) => pattern !== '');
    for (const pattern of jobs) {
      const problem = jobPatternProblem(pattern);
      if (problem !== undefined) throw new CronplaneError('cli.jobs', `--jobs: ${problem}`);
    }
    const store = await openCommandStore(options, io);
    try {
      const issued = issueToken();
      await store.createApiToken({
        id: issued.id,
        name,
        hash: issued.hash,
        scope,
        jobs,
        createdAt: Date.now(),
        createdBy: `cli:${io.env['USER'] ?? 'unknown'}`,
      });
      io.out(issued.token);
      io.err(
        `cronplane: token "${name}" (scope ${scope}${jobs.length === 0 ? '' : `, jobs ${jobs.join(', ')}`}) created; ` +
          'it is shown only this once: keep it in a secret store and pass it as CRONPLANE_TOKEN or "Authorization: Bearer ..."',
      );
      return ExitCode.ok;
    } finally {
      await store.release();
    }
  } catch (thrown) {
    return reportError(thrown, io);
  }
}

/** `cronplane token list`: active tokens, never the tokens themselves. */
export async function runTokenList(options: TokenListOptions, io: CliIo): Promise<number> {
  try {
    const store = await openCommandStore(options, io);
    try {
      const tokens = await store.listApiTokens();
      if (options.json === true) {
        for (const token of tokens) {
          const { hash: _hash, ...shown } = token;
          io.out(JSON.stringify(shown));
        }
        return ExitCode.ok;
      }
      if (tokens.length === 0) {
        io.out('no tokens; create one with: cronplane token create NAME --scope read');
        return ExitCode.ok;
      }
      io.out(['NAME', 'ID', 'SCOPE', 'JOBS', 'CREATED (UTC)', 'LAST USED (UTC)'].join('\t'));
      for (const token of tokens) {
        io.out(
          [
            token.name,
            token.id,
            token.scope,
            token.jobs.length === 0 ? '*' : token.jobs.join(','),
            new Date(token.createdAt).toISOString(),
            token.lastUsedAt === null ? '-' : new Date(token.lastUsedAt).toISOString(),
          ].join('\t'),
        );
      }
      return ExitCode.ok;
    } finally {
      await store.release();
    }
  } catch (thrown) {
    return reportError(thrown, io);
  }
}

/** `cronplane token revoke NAME`: the token stops working (within seconds on running daemons). */
export async function runTokenRevoke(name: string, options: StoreCommandOptions, io: CliIo): Promise<number> {
  try {
    const store = await openCommandStore(options, io);
    try {
      if (!(await store.revokeApiToken(name, Date.now()))) {
        io.err(`error: no active token named "${name}" (see cronplane token list)`);
        return ExitCode.usage;
      }
      io.out(`revoked token "${name}"`);
      return ExitCode.ok;
    } finally {
      await store.release();
    }
  } catch (thrown) {
    return reportError(thrown, io);
  }
}
