// wss:// and https:// (OCPP security profiles 2 and 3): the same app and OCPP endpoint as the plain port, behind
// TLS 1.2 or 1.3 with the cipher suites the OCPP security specifications name, no renegotiation and no compression.
// The certificate, key, CAs and CRLs are read again when their files change, so a renewal or a new revocation needs
// no restart; files that do not load are logged and the ones in use stay.
import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import { X509Certificate, constants, createPrivateKey } from 'node:crypto';
import { createServer, type Server } from 'node:https';
import { createSecureContext, type TLSSocket } from 'node:tls';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { readCrls } from './revocation.js';

/**
 * TLS 1.2 suites, strongest first: the four the OCPP 1.6 security whitepaper and OCPP 2.0.1 Part 2 (A00.FR.318–321)
 * require (ECDHE-ECDSA with AES-GCM for an ECDSA certificate, RSA key transport with AES-GCM for an RSA one), and
 * ECDHE-RSA with AES-GCM, which a charger with an RSA certificate may prefer for forward secrecy. TLS 1.3 keeps its own.
 */
export const TLS12_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'AES128-GCM-SHA256',
  'AES256-GCM-SHA384',
].join(':');

export interface TlsFiles {
  cert: string;
  key: string;
  /** CAs of the chargers' client certificates (profile 3): asked for, and checked per charger at the upgrade. */
  ca: string | null;
  /** CRLs of those CAs (VOLTGATE_TLS_CRL): a revoked client certificate fails verification like an expired one. */
  crl: string | null;
}

/** How often the files are looked at for a renewal. */
const RELOAD_POLL_MS = 2000;

function readSetting(setting: string, path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    throw new Error(`${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
}

/** Everything of the secure context: a reload replaces all of it, so the protocol rules go with the files. */
function contextOptions(files: TlsFiles) {
  return {
    cert: readSetting('VOLTGATE_TLS_CERT', files.cert),
    key: readSetting('VOLTGATE_TLS_KEY', files.key),
    ...(files.ca ? { ca: readSetting('VOLTGATE_TLS_CA', files.ca) } : {}),
    ...(files.crl ? { crl: readCrls(files.crl) } : {}),
    minVersion: 'TLSv1.2' as const,
    ciphers: TLS12_CIPHERS,
    honorCipherOrder: true,
    secureOptions: constants.SSL_OP_NO_RENEGOTIATION | constants.SSL_OP_NO_COMPRESSION,
  };
}

/** Reads the files and proves they make a context (a key that fits the certificate), naming the file at fault. */
export function loadTlsFiles(files: TlsFiles) {
  const options = contextOptions(files);
  try {
    // OpenSSL takes a key that does not belong to the certificate, and every handshake then fails: check first.
    if (!new X509Certificate(options.cert).checkPrivateKey(createPrivateKey(options.key))) throw new Error('the key is not the certificate\'s');
    createSecureContext(options);
  } catch (error) {
    throw new Error(`VOLTGATE_TLS_CERT and VOLTGATE_TLS_KEY do not make a usable certificate: ${(error as Error).message}`);
  }
  return options;
}

export interface TlsListener {
  server: Server;
  close(): void;
}

/**
 * The HTTPS server: requests go to the app's router, upgrades to `onUpgrade`, as on the plain port. A client
 * certificate is asked for when CAs are given but not required: profile 2 chargers and API clients have none.
 * `onNewCrls` hears of CRLs that changed while running, for the connections they revoke.
 */
export function createTlsListener(
  app: FastifyInstance,
  files: TlsFiles,
  onUpgrade: (server: Server) => void,
  logger: Logger,
  onNewCrls: (crls: string[]) => void = () => {},
): TlsListener {
  const initial = loadTlsFiles(files);
  let crlsInUse = initial.crl?.join('') ?? '';
  const server = createServer(
    {
      ...initial,
      requestCert: files.ca !== null,
      rejectUnauthorized: false,
    },
    (req, res) => app.routing(req, res),
  );
  // OpenSSL answers a TLS 1.2 renegotiation with a no_renegotiation alert (SSL_OP_NO_RENEGOTIATION); should one still
  // start, Node ends the connection. TLS 1.3 has no renegotiation.
  server.on('secureConnection', (socket: TLSSocket) => socket.disableRenegotiation());
  server.on('tlsClientError', (error, socket) => {
    logger.info({ err: { message: error.message, code: (error as NodeJS.ErrnoException).code }, remoteAddress: socket.remoteAddress }, 'TLS handshake refused');
  });
  onUpgrade(server);
  const reload = () => {
    try {
      const options = loadTlsFiles(files);
      server.setSecureContext(options);
      logger.info({ cert: files.cert, crl: files.crl }, 'TLS certificate reloaded');
      if (options.crl && options.crl.join('') !== crlsInUse) {
        crlsInUse = options.crl.join('');
        onNewCrls(options.crl);
      }
    } catch (error) {
      logger.error({ err: error }, 'TLS certificate not reloaded: the one in use stays');
    }
  };
  const watched = [files.cert, files.key, files.ca, files.crl].filter((path): path is string => path !== null);
  let pending: NodeJS.Timeout | null = null;
  // A renewal writes the certificate and the key one after the other: reload once, after both.
  const changed = () => {
    if (pending) clearTimeout(pending);
    pending = setTimeout(() => {
      pending = null;
      reload();
    }, 200);
  };
  for (const path of watched) watchFile(path, { interval: RELOAD_POLL_MS, persistent: false }, changed);
  return {
    server,
    close() {
      for (const path of watched) unwatchFile(path, changed);
      if (pending) clearTimeout(pending);
      server.close();
      server.closeAllConnections();
    },
  };
}
