// The `voltgate` command: serve, simulate, bench, id-tags, certificates.
import { Command } from 'commander';
import { serveCommand } from './commands/serve.js';
import { simulateCommand } from './commands/simulate.js';
import { benchCommand } from './commands/bench.js';
import { idTagsCommand } from './commands/id-tags.js';
import { certificatesCommand } from './commands/certificates.js';

const program = new Command('voltgate')
  .description('Voltgate: an open-source charging station management system (OCPP)')
  .showHelpAfterError()
  .addCommand(serveCommand())
  .addCommand(simulateCommand())
  .addCommand(benchCommand())
  .addCommand(idTagsCommand())
  .addCommand(certificatesCommand());

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`voltgate: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
