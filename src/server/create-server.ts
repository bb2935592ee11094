// Builds the whole CSMS from a Config: storage, the domain's in-memory tables, the OCPP endpoint and the
// REST API. It does not listen; listen() does, so tests and the CLI choose the port.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from '../config/schema.js';
import { AuthorizationService } from '../domain/authorization/authorization-service.js';
import { RemoteStarts } from '../domain/commands/remote-start.js';
import { ActiveSessions } from '../domain/transactions/active-sessions.js';
import { IdTagTable } from '../domain/authorization/id-tag-table.js';
import { ChargerRegistry } from '../domain/chargers/registry.js';
import { systemClock } from '../domain/time.js';
import type { Clock, Storage } from '../domain/ports.js';
import { registerApi } from '../api/plugin.js';
import { RpcServer } from '../ocpp/rpc/server.js';
import { v16Handlers } from '../ocpp/v16/routes.js';
import { TriggeredMessages } from '../ocpp/triggered-messages.js';
import type { HandlerDeps } from '../ocpp/handler-deps.js';
import { createStorage } from '../storage/create-storage.js';
import { resolveApiKey } from './api-key.js';
import { DialectTransport, LocalChargerGateway, RpcTransport } from './gateway.js';
import { RecordingTransport } from './command-log.js';
import { v16Intents } from '../ocpp/v16/intents.js';
import { ChargerCommands } from '../domain/commands/send.js';
import { checkOpenSessions } from '../domain/transactions/open-sessions.js';
import { storageRules } from '../domain/transactions/storage-rules.js';
import { chargerAuthentication } from './charger-authentication.js';
import { outboundSchemas } from '../ocpp/outbound.js';
import { v201Handlers } from '../ocpp/v201/routes.js';
import { v201Intents } from '../ocpp/v201/intents.js';
import { centralSystemService } from '../ocpp/soap/central-system.js';
import { ocppWsdl } from '../ocpp/soap/wsdl.js';
import { WSA_ANONYMOUS } from '../ocpp/soap/envelope.js';
import { v15Handlers, v15Intents } from '../ocpp/soap/v15.js';
import { SoapChargePointClient } from '../ocpp/soap/charge-point-client.js';
import { startLocalLists, type LocalLists } from './local-lists.js';
import { createLogger } from './logger.js';
import { registerMetrics } from './metrics.js';
import { HttpRemoteAuthorizer } from './remote-authorizer.js';
import { routeUpgrades } from './upgrade.js';
import { createTlsListener } from './tls.js';
import { closeRevokedConnections, watchedRevocationCheck } from './revocation.js';
import { CredentialChanges } from '../domain/security/credential-changes.js';
import { forwardedTransport, readCertificateBundle } from './forwarded-certificates.js';
import { parseTrustedProxies } from '../config/trusted-proxies.js';
import { startPresence } from './presence.js';
import { startConnectivity } from './connectivity.js';
import { startRetention } from './retention.js';
import { startCertificateExpiryWatch } from './certificate-expiry.js';
import { createCertificateIssuer } from './certificates/issuer.js';
import { CertificateSigning } from '../domain/security/certificate-signing.js';
import { registerDashboard } from './dashboard.js';
import { ClockEventFactory } from '../domain/events.js';
import { WebhookDispatcher } from '../events/webhooks/dispatcher.js';

/** The SOAP dialects, each with the charger's own service that Voltgate calls. */
const SOAP_CHARGE_POINT_SERVICES = {
  'ocpp1.6s': ocppWsdl('OCPP_ChargePointService_1.6'),
  'ocpp1.5s': ocppWsdl('OCPP_ChargePointService_1.5'),
};

/** Newest first: a charger offering several gets the newest it may use (Part 4 §3.2; CONFORMANCE 19). */
export const SUPPORTED_PROTOCOLS = ['ocpp2.0.1', 'ocpp1.6'];

/** Waits for the chargers' messages in hand to be answered, for at most `ms`: the rest of shutdown needs time too. */
async function drainFor(rpc: RpcServer, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([rpc.drain(), new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))]);
  clearTimeout(timer);
}

export interface VoltgateServer {
  app: FastifyInstance;
  rpc: RpcServer;
  storage: Storage;
  apiKey: string;
  logger: Logger;
  /** The plain port's URLs, or with VOLTGATE_TLS_ONLY the TLS port's; `tls`: the TLS port's, when it is served. */
  listen(): Promise<{ port: number; httpUrl: string; wsUrl: string; tls: { port: number; httpsUrl: string; wssUrl: string } | null }>;
  close(): Promise<void>;
}

/** Connections waiting to be accepted (reconnect storms). */
const LISTEN_BACKLOG = 8192;

export interface CreateServerOptions {
  logger?: Logger;
  clock?: Clock;
}

export async function createServer(config: Config, options: CreateServerOptions = {}): Promise<VoltgateServer> {
  const logger = options.logger ?? createLogger(config);
  const clock = options.clock ?? systemClock;
  const storage = await createStorage({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    statementTimeoutMs: config.dbTimeoutMs,
    startupWaitMs: config.dbWaitS * 1000,
    logger,
    // SQLite's thread settles a stop's energy and folds session events itself, with the domain's rules from this module.
    threadRules: storageRules,
  });
  try {
    const apiKey = await resolveApiKey(config.apiKey, config.dataDir, (key, file) => {
      // Printed once, on the start that generated it; it is read from the file afterwards.
      process.stdout.write(`\nVoltgate operator key (stored in ${file}): ${key}\n\n`);
    });
    const registry = new ChargerRegistry(storage.chargePoints, config.unknownChargers, logger);
    const idTags = new IdTagTable(storage.idTags);
    const activeSessions = new ActiveSessions();
    // Every event is made here and written with the change it describes (the outbox).
    const events = new ClockEventFactory(clock);
    await Promise.all([registry.load(), idTags.load(), storage.transactions.listOpen().then((open) => activeSessions.load(open))]);
    // Before anything listens: a signer that cannot sign stops start-up, naming the setting.
    const certificateIssuer = await createCertificateIssuer(config, () => clock.now());
    if (config.authorizerUrl && !config.authorizerSecret) {
      logger.warn('VOLTGATE_AUTHORIZER_URL is set without VOLTGATE_AUTHORIZER_SECRET: authorizer requests go out unsigned');
    }
    const authorization = new AuthorizationService({
      idTags,
      decisions: storage.decisions,
      clock,
      remote: config.authorizerUrl ? new HttpRemoteAuthorizer(config.authorizerUrl, config.authorizerTimeoutMs, config.authorizerSecret) : null,
      cacheMs: config.authorizerCacheS * 1000,
      onRecordError: (error) => logger.warn({ err: error }, 'could not record an authorization decision'),
      events,
    });

    const handlerDeps: HandlerDeps = {
      registry,
      idTags,
      authorization,
      transactions: storage.transactions,
      remoteStarts: { transactionStarted: (input) => remoteStarts.transactionStarted(input) },
      activeSessions,
      clock,
      heartbeatIntervalS: config.heartbeatIntervalS,
      logger,
      events,
      messages: storage.messages,
      securityEvents: storage.securityEvents,
      certificateSigning: { answer: (id, csr) => certificateSigning.answer(id, csr) },
      // Bound once the gateway exists (below); no charger can connect before then.
      signals: {
        booted: (id, status) => localLists.signals.booted(id, status),
        localListConflict: (id) => localLists.signals.localListConflict(id),
      },
    };
    // What the CSMS asked chargers for with TriggerMessage: a 1.6 charger whose boot is not accepted may send it.
    const triggeredMessages = new TriggeredMessages(clock);
    // One table per dialect, over the same domain.
    const handlers: Record<string, Record<string, (payload: any, context: any) => Promise<unknown>>> = {
      'ocpp1.6': v16Handlers(handlerDeps, triggeredMessages) as never,
      'ocpp2.0.1': v201Handlers(handlerDeps, triggeredMessages) as never,
    };
    const rpc = new RpcServer({
      protocols: SUPPORTED_PROTOCOLS,
      defaultProtocol: config.strictSubprotocol ? null : 'ocpp1.6',
      maxPayloadBytes: config.maxFrameBytes,
      pingIntervalMs: config.pingIntervalMs,
      callTimeoutMs: config.callTimeoutMs,
      maxBadMessages: config.maxBadMessages,
      logger,
      authenticate: chargerAuthentication({
        registry,
        securityEvents: storage.securityEvents,
        events,
        clock,
        logger,
        certificates: storage.chargerCertificates,
        certificateRecorded: () => void certificateExpiry.pass(),
      }),
      protocolsFor: (identity) => registry.protocolsFor(identity),
      ...(config.trustedProxies
        ? {
            forwardedTransport: forwardedTransport({
              proxies: parseTrustedProxies(config.trustedProxies),
              header: config.clientCertHeader,
              cas: config.tlsCa ? readCertificateBundle(config.tlsCa) : [],
              revocation: config.tlsCrl ? watchedRevocationCheck(config.tlsCrl, logger) : null,
              now: () => clock.now(),
            }),
          }
        : {}),
      handlersFor: (_identity, protocol) => handlers[protocol] ?? handlers['ocpp1.6'],
    });
    rpc.on('connection', (connection: { identity: string; protocol: string }) => {
      registry.admit(connection.identity).catch((error) => logger.warn({ err: error, chargePointId: connection.identity }, 'could not register a new charger'));
      // A station back with sessions still open here is asked after them (E14); 1.x chargers resend by themselves.
      if (connection.protocol === 'ocpp2.0.1') {
        checkOpenSessions({ gateway, transactions: storage.transactions, log: logger }, connection.identity).catch((error: unknown) =>
          logger.warn({ err: error, chargePointId: connection.identity }, 'could not check the open sessions of a reconnected station'),
        );
      }
    });
    const connectivity = startConnectivity({
      rpc,
      connections: storage.connections,
      outbox: storage.events,
      events,
      clock,
      offlineAfterMs: (config.offlineAfterS || 3 * config.heartbeatIntervalS) * 1000,
      logger,
    });
    // SOAP chargers hold no connection: present while heard from within the offline limit, called at their endpoint.
    const soapChargers = {
      protocolOf: (id: string) => {
        const protocol = registry.lastProtocolOf(id);
        return protocol !== null && Object.hasOwn(SOAP_CHARGE_POINT_SERVICES, protocol) ? protocol : null;
      },
      isPresent: (id: string) => connectivity.isPresent(id),
    };
    /** The address each SOAP charger calls us at (its wsa:To), which our calls give as their wsa:From. */
    const soapAddresses = new Map<string, string>();
    const soapClient = new SoapChargePointClient({
      services: SOAP_CHARGE_POINT_SERVICES,
      endpointOf: (id) => registry.soapEndpointFor(id),
      ownAddress: (id) => soapAddresses.get(id) ?? WSA_ANONYMOUS,
    });
    // Every call to a charger, whoever sends it, goes into the command history.
    const transport = new RecordingTransport(
      triggeredMessages.watch(new DialectTransport(new RpcTransport(rpc, config.callTimeoutMs), soapClient, soapChargers, (id) => rpc.get(id)?.isOpen ?? false, config.callTimeoutMs)),
      storage.commands,
      clock,
      logger,
    );
    const gateway = new LocalChargerGateway(rpc, transport, { 'ocpp1.6': v16Intents, 'ocpp2.0.1': v201Intents, 'ocpp1.6s': v16Intents, 'ocpp1.5s': v15Intents }, soapChargers);
    const commands = new ChargerCommands({ gateway, schemas: outboundSchemas(SOAP_CHARGE_POINT_SERVICES), log: storage.commands, chargePoints: storage.chargePoints });
    const remoteStarts = new RemoteStarts({
      gateway,
      chargePoints: registry,
      authorization,
      startRequests: storage.startRequests,
      clock,
      startTimeoutMs: config.remoteStartTimeoutS * 1000,
    });
    await remoteStarts.load();
    const localLists: LocalLists = startLocalLists({
      config,
      storage,
      idTags,
      registry,
      rpc,
      connectionlessChargers: () => connectivity.heardWithoutConnection().filter((id) => soapChargers.protocolOf(id) !== null),
      gateway,
      clock,
      logger,
    });
    const presence = startPresence(rpc, registry, clock, logger);
    const dispatcher = new WebhookDispatcher({
      queue: storage.webhookQueue,
      clock,
      log: logger,
      timeoutMs: config.webhookTimeoutMs,
      retryBaseMs: config.webhookRetryBaseMs,
      retryMaxMs: config.webhookRetryMaxMs,
      maxFailures: config.webhookMaxFailures,
      concurrency: config.webhookConcurrency,
    });
    storage.webhookQueue.onDispatchable(() => dispatcher.wake());
    dispatcher.start();
    const retention = startRetention({ events: storage.events, clock, retentionDays: config.eventRetentionDays, logger });
    const certificateExpiry = startCertificateExpiryWatch({
      certificates: storage.chargerCertificates,
      securityEvents: storage.securityEvents,
      events,
      clock,
      warningDays: config.certExpiryWarningDays,
      logger,
    });
    const certificateSigning = new CertificateSigning({
      issuer: certificateIssuer,
      gateway,
      certificates: storage.chargerCertificates,
      securityEvents: storage.securityEvents,
      events,
      clock,
      log: logger,
      recorded: () => void certificateExpiry.pass(),
    });

    const app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 16 * 1024 * 1024,
      // Live feeds (/api/v1/events) are never idle: without this, close() would wait for their clients.
      forceCloseConnections: true,
    });
    await registerApi(app, {
      apiKey,
      logger,
      chargePoints: registry,
      idTags,
      transactions: storage.transactions,
      gateway,
      localLists: localLists.sync,
      decisions: storage.decisions,
      remoteStarts,
      commands,
      credentialChanges: new CredentialChanges({ chargePoints: registry, gateway }),
      chargerCertificates: storage.chargerCertificates,
      tls: { served: Boolean(config.tlsCert || config.trustedProxies), clientCertificates: Boolean(config.tlsCa || (config.trustedProxies && config.clientCertHeader)) },
      webhooks: storage.webhooks,
      events: storage.events,
      connections: storage.connections,
      messages: storage.messages,
      securityEvents: storage.securityEvents,
      webhookCommitted: () => dispatcher.wake(0),
      allowLinkLocalUrls: config.allowLinkLocalUrls,
      ready: () => storage.ping(),
    });
    // OCPP 1.6 and 1.5 over SOAP: the 1.6 handlers, the messages read from and written to each WSDL's XML.
    const soapAdmission = {
      admission: registry.admission.bind(registry),
      admit: registry.admit.bind(registry),
      heard: async (identity: string, from: string | null, to: string | null) => {
        if (connectivity.heardFrom(identity)) localLists.heardAgain(identity);
        if (to) soapAddresses.set(identity, to);
        registry.touch(identity);
        if (from) await registry.announceSoapEndpoint(identity, from).catch((error: unknown) => logger.warn({ err: error, chargePointId: identity }, 'could not keep a SOAP endpoint'));
      },
      logger,
      maxRequestBytes: config.maxFrameBytes,
    };
    await app.register(centralSystemService, {
      path: '/soap/ocpp16',
      protocol: 'ocpp1.6s',
      service: ocppWsdl('OCPP_CentralSystemService_1.6'),
      handlers: handlers['ocpp1.6'],
      ...soapAdmission,
    });
    await app.register(centralSystemService, {
      path: '/soap/ocpp15',
      protocol: 'ocpp1.5s',
      service: ocppWsdl('OCPP_CentralSystemService_1.5'),
      handlers: v15Handlers(handlers['ocpp1.6']),
      ...soapAdmission,
    });
    registerMetrics(app, { rpc, groupCommit: storage.groupCommit.stats, storage }, config.metricsAuth === 'operator-key' ? apiKey : config.metricsAuth === 'token' ? config.metricsToken : null);
    await registerDashboard(app);
    routeUpgrades(app.server, rpc, logger);
    // Profiles 2 and 3: the same app and endpoint behind TLS, on a port of its own.
    const tls =
      config.tlsCert && config.tlsKey
        ? createTlsListener(app, { cert: config.tlsCert, key: config.tlsKey, ca: config.tlsCa, crl: config.tlsCrl }, (server) => routeUpgrades(server, rpc, logger), logger, (crls) =>
            closeRevokedConnections(rpc, crls, { securityEvents: storage.securityEvents, events, clock }, logger),
          )
        : null;

    let closed = false;
    return {
      app,
      rpc,
      storage,
      apiKey,
      logger,
      async listen() {
        // A fleet reconnecting at once (after a restart or a site's network blip) fills Node's default accept
        // queue of 511 in a moment, and the kernel drops the rest of the SYNs: those chargers wait a second or
        // more to retry. The kernel caps this at net.core.somaxconn.
        const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
        const portOf = (server: { address(): ReturnType<typeof app.server.address> }, fallback: number) => {
          const address = server.address();
          return typeof address === 'object' && address ? address.port : fallback;
        };
        let secure: { port: number; httpsUrl: string; wssUrl: string } | null = null;
        if (tls) {
          await app.ready();
          await new Promise<void>((resolve, reject) => {
            tls.server.once('error', reject);
            tls.server.listen({ port: config.tlsPort, host: config.host, backlog: LISTEN_BACKLOG }, () => {
              tls.server.off('error', reject);
              resolve();
            });
          });
          const port = portOf(tls.server, config.tlsPort);
          secure = { port, httpsUrl: `https://${host}:${port}`, wssUrl: `wss://${host}:${port}/ocpp` };
          if (config.tlsOnly) return { port, httpUrl: secure.httpsUrl, wsUrl: secure.wssUrl, tls: secure };
        }
        await app.listen({ port: config.port, host: config.host, backlog: LISTEN_BACKLOG });
        const port = portOf(app.server, config.port);
        return { port, httpUrl: `http://${host}:${port}`, wsUrl: `ws://${host}:${port}/ocpp`, tls: secure };
      },
      async close() {
        if (closed) return;
        closed = true;
        // PRODUCT.md "What survives": take no new connections, answer what was read (its group commit lands),
        // then close the chargers with 1001 so they reconnect elsewhere, and write what is left.
        app.server.close();
        tls?.server.close();
        localLists.stop();
        await drainFor(rpc, config.shutdownTimeoutMs / 2);
        await rpc.close();
        await presence.stop();
        // The disconnects just closed are written before storage goes.
        await connectivity.stop();
        await dispatcher.stop();
        await retention.stop();
        await certificateExpiry.stop();
        await localLists.settled();
        tls?.close();
        await app.close();
        await storage.close();
      },
    };
  } catch (error) {
    await storage.close();
    throw error;
  }
}
