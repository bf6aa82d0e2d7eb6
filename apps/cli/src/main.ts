import { homedir } from 'node:os';
import { CliContext } from './cli.context';
import { runCli } from './cli.program';
import { CliConfigStore } from './config/cli-config.store';
import { packageVersion } from './package-version';
import { TerminalPrompter } from './ui/terminal.prompter';
import { TerminalUi } from './ui/terminal.ui';

/** Entry point of `bin/wharf`; the only place that reads the process environment. */
async function main(): Promise<void> {
  const env = process.env;
  // `wharf app x | head`: a reader that stops early ends the command quietly, as for cf.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  const ctx = new CliContext({
    // Like cf's CF_HOME: the config lives in $WHARF_HOME/.wharf/config.json.
    store: new CliConfigStore(env.WHARF_HOME || homedir()),
    ui: new TerminalUi(process.stdout, process.stderr, env.NO_COLOR === undefined),
    prompter: new TerminalPrompter(process.stdin, process.stdout),
    version: packageVersion(),
  });
  // Node exits with status 0 when nothing is left to wait for, even while a command still awaits
  // a promise that nothing can settle any more. A command that did not finish has failed.
  let finished = false;
  process.on('beforeExit', () => {
    if (finished) return;
    finished = true;
    ctx.ui.failed(
      'wharf stopped before the command finished: it was left waiting for something that can no longer happen. This is a bug in wharf; please report the command you ran.',
    );
    process.exitCode = 1;
  });
  process.exitCode = await runCli(ctx, process.argv.slice(2));
  finished = true;
}

void main();
