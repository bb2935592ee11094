// Every setting Voltgate reads: its environment variable, its `voltgate serve` flag, its default and what it does.
// load.ts turns environment + flags into a Config from this table alone, so a new setting is one entry here.

interface SettingBase {
  env: string;
  flag: string;
  doc: string;
}
interface IntSetting extends SettingBase {
  type: 'int';
  default: number;
  min: number;
  max: number;
}
interface StringSetting extends SettingBase {
  type: 'string';
  default: string | null;
}
interface EnumSetting<V extends string = string> extends SettingBase {
  type: 'enum';
  values: readonly V[];
  default: V;
}
interface BoolSetting extends SettingBase {
  type: 'bool';
  default: boolean;
}
export type Setting = IntSetting | StringSetting | EnumSetting | BoolSetting;

export const SETTINGS = {
  port: { type: 'int', env: 'PORT', flag: 'port', default: 8080, min: 0, max: 65535, doc: 'HTTP and WebSocket port (0 picks a free one)' },
  host: { type: 'string', env: 'HOST', flag: 'host', default: '0.0.0.0', doc: 'address to listen on' },
  dataDir: { type: 'string', env: 'VOLTGATE_DATA_DIR', flag: 'data-dir', default: './data', doc: 'folder of the embedded SQLite database and the generated operator key' },
  databaseUrl: { type: 'string', env: 'DATABASE_URL', flag: 'database-url', default: null, doc: 'postgres://… to use PostgreSQL instead of the embedded SQLite' },
  dbTimeoutMs: {
    type: 'int', env: 'VOLTGATE_DB_TIMEOUT_MS', flag: 'db-timeout-ms', default: 5000, min: 100, max: 600000,
    doc: 'PostgreSQL: how long a connection attempt or a statement may take; past it the line counts as broken, the messages waiting on it get InternalError and the database is checked again',
  },
  dbWaitS: {
    type: 'int', env: 'VOLTGATE_DB_WAIT_S', flag: 'db-wait-s', default: 120, min: 0, max: 86400,
    doc: 'PostgreSQL at start: how long to keep trying a database that cannot be reached yet (back-off up to 5 s between attempts); a wrong host, database, user or password stops start-up at once',
  },
  shutdownTimeoutMs: {
    type: 'int', env: 'VOLTGATE_SHUTDOWN_TIMEOUT_MS', flag: 'shutdown-timeout-ms', default: 10000, min: 100, max: 600000,
    doc: 'on SIGTERM or SIGINT: the longest the graceful shutdown may take (finish acknowledged writes, close chargers with 1001) before the process exits anyway',
  },
  apiKey: { type: 'string', env: 'VOLTGATE_API_KEY', flag: 'api-key', default: null, doc: 'operator key for the REST API (generated, stored and printed once when unset)' },
  unknownChargers: {
    type: 'enum', env: 'VOLTGATE_UNKNOWN_CHARGERS', flag: 'unknown-chargers', values: ['reject', 'pending', 'accept'] as const, default: 'reject',
    doc: 'chargers not registered through the API: reject (HTTP 404 at the WebSocket handshake), pending (connect, BootNotification answered Pending until an operator accepts them) or accept (registered on first boot)',
  },
  strictSubprotocol: { type: 'bool', env: 'VOLTGATE_STRICT_SUBPROTOCOL', flag: 'strict-subprotocol', default: false, doc: 'refuse chargers that offer no OCPP subprotocol (by default they are served as OCPP 1.6)' },
  heartbeatIntervalS: { type: 'int', env: 'VOLTGATE_HEARTBEAT_INTERVAL_S', flag: 'heartbeat-interval', default: 300, min: 10, max: 86400, doc: 'heartbeat interval sent to chargers in BootNotification (seconds)' },
  callTimeoutMs: { type: 'int', env: 'VOLTGATE_CALL_TIMEOUT_MS', flag: 'call-timeout-ms', default: 30000, min: 100, max: 600000, doc: 'how long a call to a charger may take before it fails with a timeout' },
  pingIntervalMs: { type: 'int', env: 'VOLTGATE_PING_INTERVAL_MS', flag: 'ping-interval-ms', default: 60000, min: 0, max: 3600000, doc: 'WebSocket ping interval; a charger that misses a pong is disconnected (0 disables)' },
  maxFrameBytes: { type: 'int', env: 'VOLTGATE_MAX_FRAME_BYTES', flag: 'max-frame-bytes', default: 1048576, min: 1024, max: 67108864, doc: 'largest WebSocket message accepted; larger ones close the connection with 1009' },
  maxBadMessages: { type: 'int', env: 'VOLTGATE_MAX_BAD_MESSAGES', flag: 'max-bad-messages', default: 50, min: 1, max: 1000000, doc: 'malformed frames tolerated on one connection before it is closed with 1002' },
  authorizerUrl: { type: 'string', env: 'VOLTGATE_AUTHORIZER_URL', flag: 'authorizer-url', default: null, doc: "the operator's own authorization service (http:// or https://): asked on every Authorize, StartTransaction and remote start; its answer wins" },
  authorizerTimeoutMs: { type: 'int', env: 'VOLTGATE_AUTHORIZER_TIMEOUT_MS', flag: 'authorizer-timeout-ms', default: 2000, min: 50, max: 60000, doc: 'how long the authorizer may take; after that (or on an error or a malformed answer) the whitelist decides' },
  authorizerCacheS: { type: 'int', env: 'VOLTGATE_AUTHORIZER_CACHE_S', flag: 'authorizer-cache-s', default: 30, min: 0, max: 86400, doc: "how long an authorizer's answer is reused for the same charger and tag (0: ask every time)" },
  authorizerSecret: { type: 'string', env: 'VOLTGATE_AUTHORIZER_SECRET', flag: 'authorizer-secret', default: null, doc: 'signs each authorizer request: HMAC-SHA256 of the body, hex, in X-Voltgate-Signature' },
  localListSync: { type: 'bool', env: 'VOLTGATE_LOCAL_LIST_SYNC', flag: 'local-list-sync', default: false, doc: "keep chargers' local authorization lists in step with the whitelist: a change is pushed to every connected charger within seconds (with ClearCache when a tag lost its access), and a charger that boots or reconnects behind is brought up to date" },
  remoteStartTimeoutS: { type: 'int', env: 'VOLTGATE_REMOTE_START_TIMEOUT_S', flag: 'remote-start-timeout-s', default: 120, min: 1, max: 86400, doc: 'how long a remote start waits for the charger\'s StartTransaction before its start request is TimedOut' },
  webhookTimeoutMs: { type: 'int', env: 'VOLTGATE_WEBHOOK_TIMEOUT_MS', flag: 'webhook-timeout-ms', default: 10000, min: 50, max: 120000, doc: 'how long a webhook receiver may take to answer a delivery before the attempt counts as failed' },
  webhookRetryBaseMs: { type: 'int', env: 'VOLTGATE_WEBHOOK_RETRY_BASE_MS', flag: 'webhook-retry-base-ms', default: 1000, min: 10, max: 3600000, doc: 'wait before the first retry of a failed webhook delivery; it doubles with every further failure' },
  webhookRetryMaxMs: { type: 'int', env: 'VOLTGATE_WEBHOOK_RETRY_MAX_MS', flag: 'webhook-retry-max-ms', default: 3600000, min: 10, max: 86400000, doc: 'longest wait between two attempts of one webhook delivery' },
  webhookMaxFailures: { type: 'int', env: 'VOLTGATE_WEBHOOK_MAX_FAILURES', flag: 'webhook-max-failures', default: 10, min: 1, max: 1000000, doc: 'a webhook subscription is disabled once one of its deliveries failed this many attempts in a row with nothing delivered since (re-enable it with POST /api/v1/webhooks/{id}/enable)' },
  webhookConcurrency: { type: 'int', env: 'VOLTGATE_WEBHOOK_CONCURRENCY', flag: 'webhook-concurrency', default: 16, min: 1, max: 1000, doc: 'webhook deliveries in flight at once, over all subscriptions' },
  eventRetentionDays: { type: 'int', env: 'VOLTGATE_EVENT_RETENTION_DAYS', flag: 'event-retention-days', default: 30, min: 1, max: 36500, doc: 'events (the live feed\'s replay, webhook deliveries) and the webhook delivery log are kept this many days; an event not yet delivered is kept until it is' },
  offlineAfterS: { type: 'int', env: 'VOLTGATE_OFFLINE_AFTER_S', flag: 'offline-after-s', default: 0, min: 0, max: 604800, doc: 'a charger with no message and no pong for this long is marked offline and charge_point.offline goes out (0: three heartbeat intervals)' },
  allowLinkLocalUrls: { type: 'bool', env: 'VOLTGATE_ALLOW_LINK_LOCAL_URLS', flag: 'allow-link-local-urls', default: false, doc: 'let webhook and authorizer URLs point at link-local addresses (169.254.0.0/16, fe80::/10) and cloud-metadata services (fd00:ec2::254, metadata.google.internal), refused by default' },
  metricsAuth: {
    type: 'enum', env: 'VOLTGATE_METRICS_AUTH', flag: 'metrics-auth', values: ['none', 'operator-key', 'token'] as const, default: 'none',
    doc: 'who may read /metrics: anyone (none), a Bearer operator key (operator-key), or a Bearer VOLTGATE_METRICS_TOKEN (token), for a scraper that should not hold the operator key',
  },
  metricsToken: { type: 'string', env: 'VOLTGATE_METRICS_TOKEN', flag: 'metrics-token', default: null, doc: 'the Bearer token /metrics takes with VOLTGATE_METRICS_AUTH=token' },
  trustedProxies: {
    type: 'string', env: 'VOLTGATE_TRUSTED_PROXIES', flag: 'trusted-proxies', default: null,
    doc: 'comma-separated addresses (or CIDR ranges) of TLS-terminating proxies in front of Voltgate: from these only, a handshake with X-Forwarded-Proto: https counts as TLS, and the client certificate in VOLTGATE_CLIENT_CERT_HEADER is checked against VOLTGATE_TLS_CA',
  },
  clientCertHeader: { type: 'string', env: 'VOLTGATE_CLIENT_CERT_HEADER', flag: 'client-cert-header', default: 'x-ssl-client-cert', doc: "the header in which a trusted proxy forwards the charger's client certificate (PEM, URL-encoded as nginx's $ssl_client_escaped_cert)" },
  tlsCert: { type: 'string', env: 'VOLTGATE_TLS_CERT', flag: 'tls-cert', default: null, doc: "PEM file of the server's certificate (its chain after it): with VOLTGATE_TLS_KEY, wss:// and https:// are served on VOLTGATE_TLS_PORT (TLS 1.2 and 1.3 only); a renewed file is taken up within seconds, without a restart" },
  tlsKey: { type: 'string', env: 'VOLTGATE_TLS_KEY', flag: 'tls-key', default: null, doc: "PEM file of the certificate's private key (RSA or ECDSA)" },
  tlsPort: { type: 'int', env: 'VOLTGATE_TLS_PORT', flag: 'tls-port', default: 8443, min: 0, max: 65535, doc: 'port of wss:// and https:// (0 picks a free one)' },
  tlsOnly: { type: 'bool', env: 'VOLTGATE_TLS_ONLY', flag: 'tls-only', default: false, doc: 'serve nothing on the plain PORT: every charger and API client comes over TLS' },
  tlsCa: { type: 'string', env: 'VOLTGATE_TLS_CA', flag: 'tls-ca', default: null, doc: "PEM file of the CA certificates trusted for chargers' client certificates (security profile 3)" },
  tlsCrl: {
    type: 'string', env: 'VOLTGATE_TLS_CRL', flag: 'tls-crl', default: null,
    doc: "PEM file of the certificate revocation lists of the CAs in VOLTGATE_TLS_CA, one per CA: a revoked client certificate is refused like an expired one; a renewed file is taken up within seconds, without a restart",
  },
  certificateSigner: {
    type: 'string', env: 'VOLTGATE_CERTIFICATE_SIGNER', flag: 'certificate-signer', default: 'none',
    doc: "who signs a charger's certificate request (SignCertificate): none (every request is answered Rejected), local (the CA `voltgate certificates init-ca` made in the data dir), or the http(s):// URL of the operator's CA, which is POSTed the request (application/pkcs10, PEM) and answers the certificate chain (PEM)",
  },
  chargerCertOrganization: {
    type: 'string', env: 'VOLTGATE_CHARGER_CERT_ORGANIZATION', flag: 'charger-cert-organization', default: null,
    doc: "the O (organisation) every charger's certificate request must name, beside its id as CN: needed with VOLTGATE_CERTIFICATE_SIGNER",
  },
  chargerCertDays: { type: 'int', env: 'VOLTGATE_CHARGER_CERT_DAYS', flag: 'charger-cert-days', default: 365, min: 1, max: 3650, doc: 'how long a charger certificate the local CA signs is valid' },
  certExpiryWarningDays: {
    type: 'int', env: 'VOLTGATE_CERT_EXPIRY_WARNING_DAYS', flag: 'cert-expiry-warning-days', default: 30, min: 1, max: 365,
    doc: "a charger's certificate (one Voltgate had signed, or one it presented) this close to its end is announced once, as the security event ChargerCertificateExpiring",
  },
  logLevel: { type: 'enum', env: 'LOG_LEVEL', flag: 'log-level', values: ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, default: 'info', doc: 'log level' },
  logFormat: { type: 'enum', env: 'VOLTGATE_LOG_FORMAT', flag: 'log-format', values: ['json', 'pretty'] as const, default: 'json', doc: 'json (pino) or pretty for a readable development log' },
} as const satisfies Record<string, Setting>;

type Settings = typeof SETTINGS;
type ValueOf<S> = S extends { type: 'int' }
  ? number
  : S extends { type: 'bool' }
    ? boolean
    : S extends { type: 'enum'; values: readonly (infer V)[] }
      ? V
      : S extends { default: null }
        ? string | null
        : string;

export type Config = { -readonly [K in keyof Settings]: ValueOf<Settings[K]> };
