import { Command, CommanderError } from 'commander';
import { BuildpacksCommand } from './commands/buildpacks.command';
import { AppsCommand } from './commands/apps.command';
import { EventsCommand } from './commands/events.command';
import { RevisionsCommand } from './commands/revisions.command';
import { TasksCommand } from './commands/tasks.command';
import { DeploymentsCommand } from './commands/deployments.command';
import { RoutesCommand } from './commands/routes.command';
import { LogsCommand } from './commands/logs.command';
import { PushCommand } from './commands/push.command';
import { EnvCommand } from './commands/env.command';
import type { CliContext } from './cli.context';
import { ApiCommand } from './commands/api.command';
import { CurlCommand } from './commands/curl.command';
import { LoginCommand } from './commands/login.command';
import { LogoutCommand } from './commands/logout.command';
import { OauthTokenCommand } from './commands/oauth-token.command';
import { OrgsCommand } from './commands/orgs.command';
import { PasswdCommand } from './commands/passwd.command';
import { SpacesCommand } from './commands/spaces.command';
import { TargetCommand } from './commands/target.command';
import { CliError } from './errors/cli.error';
import { ServiceCatalogCommand } from './commands/service-catalog.command';
import { UsersCommand } from './commands/users.command';
import { QuotasCommand } from './commands/quotas.command';
import { ServiceKeysCommand } from './commands/service-keys.command';
import { ServicesCommand } from './commands/services.command';

/** The `wharf` command tree. Commander's own messages go through the context's UI streams. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('wharf')
    .description('wharf: the command line for the Wharf platform (a Cloud Foundry-style PaaS)')
    .version(`wharf version ${ctx.version}`, '-v, --version', 'Print the version')
    .helpOption('-h, --help', 'Show help')
    .addHelpCommand('help [command]', 'Show help for a command')
    .showSuggestionAfterError()
    // -v/--version is the program's only before the command: `wharf rollback APP --version 2`
    // is the rollback's revision, as in cf.
    .enablePositionalOptions()
    .configureOutput({
      writeOut: (text) => ctx.ui.write(text),
      writeErr: (text) => ctx.ui.writeError(text),
    })
    .exitOverride();
  const commands = [
    new ApiCommand(ctx),
    new LoginCommand(ctx),
    new LogoutCommand(ctx),
    new PasswdCommand(ctx),
    new TargetCommand(ctx),
    new OrgsCommand(ctx),
    new SpacesCommand(ctx),
    new CurlCommand(ctx),
    new OauthTokenCommand(ctx),
    new BuildpacksCommand(ctx),
    new EnvCommand(ctx),
    new PushCommand(ctx),
    new AppsCommand(ctx),
    new LogsCommand(ctx),
    new EventsCommand(ctx),
    new RevisionsCommand(ctx),
    new DeploymentsCommand(ctx),
    new TasksCommand(ctx),
    new RoutesCommand(ctx),
    new ServicesCommand(ctx),
    new ServiceKeysCommand(ctx),
    new ServiceCatalogCommand(ctx),
    new UsersCommand(ctx),
    new QuotasCommand(ctx),
  ];
  for (const command of commands) command.register(program);
  // exitOverride is not inherited by subcommands created before it; set it on each one.
  for (const sub of program.commands) {
    sub.exitOverride().showSuggestionAfterError();
  }
  return program;
}

/**
 * Runs the CLI and returns the exit status. Failures print their message and FAILED on stderr;
 * usage errors have already been printed by commander.
 */
export async function runCli(ctx: CliContext, argv: readonly string[]): Promise<number> {
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (err instanceof CliError) {
      ctx.ui.failed(err.message);
      return err.exitCode;
    }
    if (err instanceof Error && err.name === 'ExitPromptError') {
      // Ctrl-C at a prompt.
      ctx.ui.failed();
      return 130;
    }
    ctx.ui.failed(
      `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
    );
    return 1;
  }
}
