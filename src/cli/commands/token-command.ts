import { Option } from 'commander';
import type { CliCommand } from '../cli-command.ts';
import { configOption } from '../options/config-option.ts';
import { storeOption } from '../options/store-option.ts';
import type { TokenCreateOptions, TokenListOptions } from './token.ts';

const tokenCreateCommand: CliCommand = {
  name: 'create',
  define(command, { io, exitWith }) {
    command
      .description('create an API token and print it once; only its hash is stored')
      .argument('<name>', 'token name (recorded in the audit log)')
      .addOption(
        new Option(
          '--scope <scope>',
          'read, trigger (also runs and enqueues) or admin (also pauses, manages tokens)',
        )
          .choices(['read', 'trigger', 'admin'])
          .makeOptionMandatory(),
      )
      .option('--jobs <patterns...>', "limit the token to jobs matching these patterns, e.g. 'cleanup-*'")
      .addOption(configOption())
      .addOption(storeOption())
      .action(
        exitWith(async (name: string, options: TokenCreateOptions) => {
          const { runTokenCreate } = await import('./token.ts');
          return runTokenCreate(name, options, io);
        }),
      );
  },
};

const tokenListCommand: CliCommand = {
  name: 'list',
  define(command, { io, exitWith }) {
    command
      .description('list active API tokens (never the tokens themselves)')
      .addOption(configOption())
      .addOption(storeOption())
      .option('--json', 'one JSON object per token')
      .action(
        exitWith(async (options: TokenListOptions) => {
          const { runTokenList } = await import('./token.ts');
          return runTokenList(options, io);
        }),
      );
  },
};

const tokenRevokeCommand: CliCommand = {
  name: 'revoke',
  define(command, { io, exitWith }) {
    command
      .description('revoke an API token by name')
      .argument('<name>', 'token name')
      .addOption(configOption())
      .addOption(storeOption())
      .action(
        exitWith(async (name: string, options: { config?: string; store?: string }) => {
          const { runTokenRevoke } = await import('./token.ts');
          return runTokenRevoke(name, options, io);
        }),
      );
  },
};

/** `cronplane token create|list|revoke`: API tokens on the store. */
export const tokenCommand: CliCommand = {
  name: 'token',
  define(command) {
    command.description('create, list and revoke API tokens (on the store)');
  },
  subcommands: [tokenCreateCommand, tokenListCommand, tokenRevokeCommand],
};
