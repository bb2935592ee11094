// Environment + command-line flags → Config. A bad value stops start-up with an error that names the setting.
import { SETTINGS, type Config, type Setting } from './schema.js';
import { forbiddenOutboundUrl } from './outbound-urls.js';
import { parseTrustedProxies } from './trusted-proxies.js';
import { ConfigError } from './config-error.js';

export { ConfigError };

function parseValue(key: string, setting: Setting, raw: string, source: string): unknown {
  const where = `${source} (setting ${key})`;
  switch (setting.type) {
    case 'int': {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(`${where} must be a whole number, got "${raw}"`);
      const n = Number(raw);
      if (n < setting.min || n > setting.max) {
        throw new ConfigError(`${where} must be between ${setting.min} and ${setting.max}, got ${n}`);
      }
      return n;
    }
    case 'bool': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off', ''].includes(v)) return false;
      throw new ConfigError(`${where} must be true or false, got "${raw}"`);
    }
    case 'enum':
      if (!setting.values.includes(raw)) {
        throw new ConfigError(`${where} must be one of ${setting.values.join(', ')}, got "${raw}"`);
      }
      return raw;
    case 'string':
      return raw === '' ? setting.default : raw;
  }
}

/**
 * Flags win over environment variables, which win over defaults.
 * `flags` holds raw strings (or booleans for switches) keyed by setting name, as the CLI parsed them.
 */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  flags: Partial<Record<keyof Config, string | boolean>> = {},
): Config {
  const config: Record<string, unknown> = {};
  for (const [key, setting] of Object.entries(SETTINGS) as [keyof Config, Setting][]) {
    const flag = flags[key];
    const fromEnv = env[setting.env];
    if (flag !== undefined) {
      config[key] = typeof flag === 'boolean' ? flag : parseValue(key, setting, flag, `--${setting.flag}`);
    } else if (fromEnv !== undefined) {
      config[key] = parseValue(key, setting, fromEnv, setting.env);
    } else {
      config[key] = setting.default;
    }
  }
  const authorizerUrl = config.authorizerUrl as string | null;
  if (authorizerUrl !== null && !/^https?:\/\/[^/]/.test(authorizerUrl)) {
    throw new ConfigError(`VOLTGATE_AUTHORIZER_URL (setting authorizerUrl) must be an http:// or https:// URL, got "${authorizerUrl}"`);
  }
  const refused = authorizerUrl !== null && !config.allowLinkLocalUrls ? forbiddenOutboundUrl(authorizerUrl) : null;
  if (refused) throw new ConfigError(`VOLTGATE_AUTHORIZER_URL (setting authorizerUrl): ${refused}`);
  const url = config.databaseUrl as string | null;
  if (url !== null && !/^postgres(ql)?:\/\//.test(url)) {
    // Only the scheme is repeated: the rest may hold a password.
    throw new ConfigError(`DATABASE_URL (setting databaseUrl) must start with postgres:// or postgresql://, got a value starting "${url.split(/[:/]/)[0]}"`);
  }
  if (config.metricsAuth === 'token' && (config.metricsToken === null || (config.metricsToken as string).length < 16)) {
    throw new ConfigError('VOLTGATE_METRICS_AUTH=token (setting metricsAuth) needs VOLTGATE_METRICS_TOKEN (setting metricsToken) of at least 16 characters');
  }
  if ((config.tlsCert === null) !== (config.tlsKey === null)) {
    throw new ConfigError('VOLTGATE_TLS_CERT (setting tlsCert) and VOLTGATE_TLS_KEY (setting tlsKey) go together: set both, or neither');
  }
  if (config.tlsOnly === true && config.tlsCert === null) {
    throw new ConfigError('VOLTGATE_TLS_ONLY (setting tlsOnly) needs VOLTGATE_TLS_CERT and VOLTGATE_TLS_KEY: without them nothing would be served');
  }
  if (config.tlsCa !== null && config.tlsCert === null && config.trustedProxies === null) {
    throw new ConfigError('VOLTGATE_TLS_CA (setting tlsCa) needs VOLTGATE_TLS_CERT and VOLTGATE_TLS_KEY (client certificates are asked for over TLS), or VOLTGATE_TRUSTED_PROXIES (a proxy forwards them)');
  }
  // The CRLs are those of the client certificates' CAs (checked at Voltgate's TLS handshakes or on a proxy's word):
  // without the CAs there is nothing to check them against.
  if (config.tlsCrl !== null && config.tlsCa === null) {
    throw new ConfigError('VOLTGATE_TLS_CRL (setting tlsCrl) needs VOLTGATE_TLS_CA: the CRLs are of the CAs whose client certificates profile 3 chargers present');
  }
  checkCertificateSigner(config);
  if (config.trustedProxies !== null) parseTrustedProxies(config.trustedProxies as string);
  return config as Config;
}

/** VOLTGATE_CERTIFICATE_SIGNER: none, local or a CA's URL (not a link-local one); a signer needs the organisation to check. */
function checkCertificateSigner(config: Record<string, unknown>): void {
  const signer = config.certificateSigner as string;
  if (signer !== 'none' && signer !== 'local') {
    if (!/^https?:\/\/[^/]/.test(signer)) throw new ConfigError(`VOLTGATE_CERTIFICATE_SIGNER (setting certificateSigner) must be none, local, or an http:// or https:// URL, got "${signer}"`);
    const refused = config.allowLinkLocalUrls ? null : forbiddenOutboundUrl(signer);
    if (refused) throw new ConfigError(`VOLTGATE_CERTIFICATE_SIGNER (setting certificateSigner): ${refused}`);
  }
  if (signer !== 'none' && !config.chargerCertOrganization) {
    throw new ConfigError('VOLTGATE_CERTIFICATE_SIGNER (setting certificateSigner) needs VOLTGATE_CHARGER_CERT_ORGANIZATION (setting chargerCertOrganization): the O a charger\'s certificate request must name');
  }
}
