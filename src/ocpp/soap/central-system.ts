// The OCPP Central System service over SOAP 1.2 (one path per version): each request read from its envelope,
// admitted by the same rules as a JSON charger's handshake (registration policy, HTTP Basic password), checked
// against the WSDL's types, answered by the dialect's handler table over the one domain, and written back in the
// WSDL's response element. Whatever is wrong gets the SOAP fault that names it; one charger's fault touches no
// other's request.
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import type { BasicCredentials } from '../../domain/ports.js';
import { isStorageUnavailable } from '../../domain/storage-faults.js';
import { CallError } from '../rpc/errors.js';
import { parseBasicAuth } from '../rpc/handshake.js';
import { messageCodecs } from './codec.js';
import { faultEnvelope, readRequest, responseEnvelope, SoapFault, WSA_ANONYMOUS } from './envelope.js';
import type { WsdlService } from './wsdl.js';

export type SoapHandler = (payload: any, context: { identity: string; protocol: string; messageId: string }) => Promise<unknown> | unknown;

export interface CentralSystemOptions {
  path: string;
  /** What chargers of this service are called in REST (e.g. "ocpp1.6s"). */
  protocol: string;
  service: WsdlService;
  /** The dialect's handlers, by operation name, taking and giving the JSON form of this service's messages. */
  handlers: Readonly<Record<string, SoapHandler | undefined>>;
  /** As at a WebSocket handshake; `secure`: the request came over TLS (a SOAP charger gives no client certificate here). */
  admission(
    identity: string,
    basicAuth: BasicCredentials | null,
    transport: { secure: boolean; clientCertificate: null },
  ): 'accept' | 'unauthorized' | 'unknown' | 'needs-tls' | 'needs-certificate';
  /** A charger admitted by the unknown-charger policy is registered at its first request. */
  admit(identity: string): Promise<void>;
  /** Each admitted request: the charger was heard from; `from` is where it says its own service listens, `to` where it called us. */
  heard(identity: string, from: string | null, to: string | null): Promise<void>;
  logger: Logger;
  /** The largest request read (the WebSocket frame limit): memory stays bounded whatever is posted. */
  maxRequestBytes: number;
}

const SOAP_CONTENT_TYPE = 'application/soap+xml; charset=utf-8';

export async function centralSystemService(app: FastifyInstance, options: CentralSystemOptions): Promise<void> {
  const codecs = messageCodecs(options.service);
  const namespace = options.service.namespace;
  const log = options.logger.child({ soap: options.protocol });
  // Scoped to this plugin: the REST API keeps parsing only JSON.
  app.addContentTypeParser(['application/soap+xml', 'text/xml', 'application/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));

  const fault = (reply: FastifyReply, error: SoapFault, relatesTo: string | null, status?: number) =>
    reply
      .code(status ?? (error.code === 'Sender' ? 400 : 500))
      .type(SOAP_CONTENT_TYPE)
      .send(faultEnvelope(error, namespace, relatesTo));

  // What Fastify refuses before the handler (a body over the limit, a content type it cannot read) is a fault too.
  app.setErrorHandler((error: { statusCode?: number; message: string }, _req, reply) => {
    const status = error.statusCode ?? 500;
    if (status >= 500) log.error({ err: error }, 'SOAP request failed');
    return fault(reply, new SoapFault(status < 500 ? 'Sender' : 'Receiver', { namespace: 'service', name: status < 500 ? 'ProtocolError' : 'InternalError' }, status < 500 ? error.message : 'could not process the request'), null, status);
  });

  app.post(options.path, { bodyLimit: options.maxRequestBytes }, async (req, reply) => {
    if (typeof req.body !== 'string') {
      return fault(reply, new SoapFault('Sender', { namespace: 'service', name: 'ProtocolError' }, 'expected a SOAP 1.2 message (Content-Type: application/soap+xml)'), null, 415);
    }
    let request;
    try {
      request = readRequest(req.body, namespace);
    } catch (error) {
      if (error instanceof SoapFault) return fault(reply, error, null);
      throw error;
    }
    const relatesTo = request.messageId;
    const identity = request.chargeBoxIdentity;
    const verdict = options.admission(identity, parseBasicAuth(req.headers.authorization), { secure: req.protocol === 'https', clientCertificate: null });
    if (verdict === 'unauthorized') {
      reply.header('www-authenticate', 'Basic realm="Voltgate"');
      return fault(reply, new SoapFault('Sender', { namespace: 'service', name: 'SecurityError' }, 'charger password required (HTTP Basic auth, username: the charger id)'), relatesTo, 401);
    }
    if (verdict === 'unknown') return fault(reply, new SoapFault('Sender', { namespace: 'service', name: 'SecurityError' }, `unknown charge point ${identity}`), relatesTo);
    if (verdict === 'needs-tls' || verdict === 'needs-certificate') {
      const why = verdict === 'needs-tls' ? 'this charger must call over TLS (https://)' : 'this charger is at security profile 3, which SOAP does not offer';
      return fault(reply, new SoapFault('Sender', { namespace: 'service', name: 'SecurityError' }, why), relatesTo, 403);
    }
    const operation = options.service.byRequestElement.get(request.element);
    if (!operation) return fault(reply, new SoapFault('Receiver', { namespace: 'service', name: 'NotSupported' }, `${request.element} is not an operation of this service`), relatesTo);
    if (request.action !== operation.action) {
      return fault(reply, new SoapFault('Sender', { namespace: 'wsa', name: 'ActionMismatch' }, `wsa:Action ${request.action} does not match ${request.element} (${operation.action})`), relatesTo);
    }
    const handler = options.handlers[operation.name];
    if (!handler) return fault(reply, new SoapFault('Receiver', { namespace: 'service', name: 'NotSupported' }, `${operation.name} is not supported`), relatesTo);
    const read = codecs.get(operation.request.element)!.read(request.body);
    if (!read.ok) return fault(reply, new SoapFault('Sender', { namespace: 'service', name: 'ProtocolError' }, `${operation.name}: ${read.message}`), relatesTo);
    await options.admit(identity);
    await options.heard(identity, announcedAddress(request.from), announcedAddress(request.to));
    let answer: unknown;
    try {
      answer = await handler(read.value, { identity, protocol: options.protocol, messageId: request.messageId });
    } catch (error) {
      return fault(reply, failureFault(error, operation.name, log, identity), relatesTo, isStorageUnavailable(error) ? 503 : undefined);
    }
    const responseCodec = codecs.get(operation.response.element)!;
    // Our answers are checked against the WSDL too, as the JSON dialects check theirs against the JSON schemas.
    const invalid = responseCodec.check(answer);
    if (invalid) {
      log.error({ action: operation.name, chargePointId: identity, failure: invalid }, 'handler answer failed the response schema');
      return fault(reply, new SoapFault('Receiver', { namespace: 'service', name: 'InternalError' }, `could not process ${operation.name}`), relatesTo);
    }
    const body = responseCodec.write(answer, 'ocpp');
    return reply
      .type(SOAP_CONTENT_TYPE)
      .send(responseEnvelope({ serviceNs: namespace, action: operation.responseAction, relatesTo, messageId: `urn:uuid:${randomUUID()}`, body }));
  });
}

/** An address from wsa:From or wsa:To: an http(s) URL, not WS-Addressing's anonymous one. */
function announcedAddress(from: string | null): string | null {
  if (!from || from === WSA_ANONYMOUS || !/^https?:\/\/[^\s]+$/i.test(from) || from.length > 500) return null;
  return from;
}

/** A handler's failure as the fault the charger gets: its own CallError's code, or InternalError. */
function failureFault(error: unknown, action: string, log: Logger, chargePointId: string): SoapFault {
  if (error instanceof CallError) return new SoapFault(error.code === 'InternalError' ? 'Receiver' : 'Sender', { namespace: 'service', name: error.code }, error.message);
  if (isStorageUnavailable(error)) {
    // The charger keeps the message and sends it again (OCPP 1.6 §3.7.1): nothing was stored.
    return new SoapFault('Receiver', { namespace: 'service', name: 'InternalError' }, `${action} not stored: storage unavailable, send it again later`);
  }
  log.error({ action, chargePointId, err: error }, 'handler failed');
  return new SoapFault('Receiver', { namespace: 'service', name: 'InternalError' }, `could not process ${action}`);
}
