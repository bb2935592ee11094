// `voltgate serve`: every setting of config/schema.ts as a flag, environment variables as fallback.
import { Command, Option } from 'commander';
import { ConfigError, loadConfig } from '../../config/load.js';
import { SETTINGS, type Config } from '../../config/schema.js';
import { createServer } from '../../server/create-server.js';
import { closeOnSignals } from '../../server/shutdown.js';

/** Adds one flag per setting; the help text names the environment variable and the default. */
export function addSettingFlags(command: Command): Command {
  for (const [key, setting] of Object.entries(SETTINGS)) {
    const shown = setting.default === null ? '' : ` (default: ${String(setting.default)})`;
    const help = `${setting.doc}; env ${setting.env}${shown}`;
    const option =
      setting.type === 'bool'
        ? new Option(`--${setting.flag}`, help)
        : new Option(`--${setting.flag} <value>`, help);
    if (setting.type === 'enum') option.choices(setting.values as readonly string[]);
    option.attributeName = () => key;
    command.addOption(option);
  }
  return command;
}

export function flagsToConfig(options: Record<string, string | boolean>): Config {
  return loadConfig(process.env, options as Partial<Record<keyof Config, string | boolean>>);
}

export function serveCommand(): Command {
  return addSettingFlags(new Command('serve').description('run the CSMS: OCPP endpoint, REST API, OpenAPI docs and metrics on one port')).action(
    async (options: Record<string, string | boolean>) => {
      let config: Config;
      try {
        config = flagsToConfig(options);
      } catch (error) {
        if (error instanceof ConfigError) {
          process.stderr.write(`voltgate: ${error.message}\n`);
          process.exit(2);
        }
        throw error;
      }
      let server;
      try {
        server = await createServer(config);
      } catch (error) {
        // A database that cannot work as configured (DatabaseSettingError names DATABASE_URL) or never came up.
        if (error instanceof Error && (error as { setting?: unknown }).setting) {
          process.stderr.write(`voltgate: ${error.message}\n`);
          process.exit(2);
        }
        throw error;
      }
      closeOnSignals(server, config.shutdownTimeoutMs);
      const { httpUrl, wsUrl, tls } = await server.listen();
      server.logger.info(
        {
          api: `${httpUrl}/api/v1`,
          docs: `${httpUrl}/api/docs`,
          ocpp: `${wsUrl}/{chargePointId}`,
          ...(tls && tls.wssUrl !== wsUrl ? { apiTls: `${tls.httpsUrl}/api/v1`, ocppTls: `${tls.wssUrl}/{chargePointId}` } : {}),
          storage: server.storage.dialect,
        },
        'Voltgate is running',
      );
    },
  );
}
