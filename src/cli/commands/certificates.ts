// `voltgate certificates init-ca`: the operator's own CA for chargers' client certificates (security profile 3),
// written to the data dir, where VOLTGATE_CERTIFICATE_SIGNER=local finds it.
import { Command, InvalidArgumentError } from 'commander';
import { initCa } from '../../server/certificates/init-ca.js';

const positiveInt = (value: string) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100) throw new InvalidArgumentError('a whole number of years from 1 to 100');
  return n;
};

export function certificatesCommand(): Command {
  const command = new Command('certificates').description("chargers' certificates (security profile 3)");
  command
    .command('init-ca')
    .description('create a CA for chargers\' certificates in <data-dir>/ca (an ECDSA P-256 key and a self-signed certificate)')
    .requiredOption('--organization <name>', "the operator's organisation: the CA's O, and the O every charger's certificate request must carry (VOLTGATE_CHARGER_CERT_ORGANIZATION)")
    .option('--data-dir <dir>', 'data folder of the server (env VOLTGATE_DATA_DIR)', process.env.VOLTGATE_DATA_DIR ?? './data')
    .option('--years <n>', 'how long the CA is valid', positiveInt, 10)
    .option('--force', 'replace an existing CA (certificates it signed are no longer trusted once VOLTGATE_TLS_CA names the new one)', false)
    .action(async (options: { organization: string; dataDir: string; years: number; force: boolean }) => {
      const files = await initCa({ dataDir: options.dataDir, organization: options.organization, validYears: options.years, force: options.force, now: new Date() });
      process.stdout.write(
        `CA certificate: ${files.cert}\nCA key:         ${files.key} (readable by its owner only: keep it so)\n` +
          `Next: VOLTGATE_CERTIFICATE_SIGNER=local VOLTGATE_CHARGER_CERT_ORGANIZATION=${JSON.stringify(options.organization)} VOLTGATE_TLS_CA=${files.cert} npm start\n`,
      );
    });
  return command;
}
