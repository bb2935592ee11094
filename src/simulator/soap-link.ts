// A simulated charger speaking OCPP 1.5 or 1.6 over SOAP: its calls posted to the Central System service (HTTP
// keep-alive, as real chargers use it), and its own ChargePointService served for the CSMS's commands. One
// HTTP server per process serves every simulated charger's service, at /cp/{id}; each charger announces that
// address in wsa:From. The charger logic is the 1.6 charger's: 1.5 messages are translated both ways.
import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client, errors } from 'undici';
import { CallError, CallTimeoutError } from '../ocpp/rpc/errors.js';
import { callSoap, SoapCallError, type HttpPost } from '../ocpp/soap/client.js';
import { messageCodecs } from '../ocpp/soap/codec.js';
import { faultEnvelope, readRequest, responseEnvelope, SoapFault } from '../ocpp/soap/envelope.js';
import { v15AnswerAsV16, v15CommandAsV16, v16RequestAsV15 } from '../ocpp/soap/v15.js';
import { ocppWsdl } from '../ocpp/soap/wsdl.js';
import type { LinkConnection } from './charger-link.js';

export type SoapVersion = '1.5' | '1.6';
type Handlers = Readonly<Record<string, (payload: any) => Promise<unknown>>>;

/**
 * Each simulated charger's own keep-alive connection to the CSMS, as a real charger holds one: an undici Client
 * (one connection, one request at a time) costs the simulator about half of what node:http does per request.
 */
function keepAlivePost(serviceUrl: string): { post: HttpPost; close(): Promise<void> } {
  const { origin, pathname, search } = new URL(serviceUrl);
  const client = new Client(origin, { pipelining: 1, keepAliveTimeout: 60_000 });
  return {
    // The charger only ever posts to its one Central System service: its path is read once.
    async post(_url, headers, body, timeoutMs, maxBytes) {
      try {
        const answer = await client.request({ method: 'POST', path: pathname + search, headers, body, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
        const text = await answer.body.text();
        if (text.length > maxBytes) throw new Error(`answer over ${maxBytes} bytes`);
        return text;
      } catch (error) {
        // As fetch() says it, which is what callSoap tells a timeout by.
        if (error instanceof errors.HeadersTimeoutError || error instanceof errors.BodyTimeoutError) throw new DOMException('timed out', 'TimeoutError');
        throw error;
      }
    },
    close: () => client.close(),
  };
}

/** The process's one ChargePointService server, started with the first SOAP charger. */
let commandServer: Promise<CommandServer> | null = null;

class CommandServer {
  readonly chargers = new Map<string, { version: SoapVersion; handlers: Handlers }>();
  private constructor(
    readonly server: Server,
    readonly baseUrl: string,
  ) {}

  static async start(): Promise<CommandServer> {
    let instance: CommandServer;
    const server = createServer((req, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        void instance.answer(decodeURIComponent((req.url ?? '').replace(/^\/cp\//, '')), text).then(({ status, body }) => {
          res.writeHead(status, { 'content-type': 'application/soap+xml; charset=utf-8' });
          res.end(body);
        });
      });
    });
    server.keepAliveTimeout = 60_000;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    server.unref();
    instance = new CommandServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/cp/`);
    return instance;
  }

  private async answer(id: string, text: string): Promise<{ status: number; body: string }> {
    const charger = this.chargers.get(id);
    const wsdl = ocppWsdl(`OCPP_ChargePointService_${charger?.version ?? '1.6'}`);
    const cp = { wsdl, codecs: messageCodecs(wsdl) };
    let relatesTo: string | null = null;
    try {
      if (!charger) throw new SoapFault('Sender', { namespace: 'service', name: 'IdentityMismatch' }, `no charger ${id} here`);
      const request = readRequest(text, cp.wsdl.namespace);
      relatesTo = request.messageId;
      const operation = cp.wsdl.byRequestElement.get(request.element);
      const handler = operation && charger.handlers[operation.name];
      if (!operation || !handler) throw new SoapFault('Receiver', { namespace: 'service', name: 'NotSupported' }, `${request.element} is not supported`);
      const read = cp.codecs.get(operation.request.element)!.read(request.body);
      if (!read.ok) throw new SoapFault('Sender', { namespace: 'service', name: 'ProtocolError' }, read.message);
      // The charger logic is 1.6's.
      const answer = await handler(charger.version === '1.5' ? v15CommandAsV16(operation.name, read.value) : read.value);
      const body = cp.codecs.get(operation.response.element)!.write(answer, 'ocpp');
      return { status: 200, body: responseEnvelope({ serviceNs: cp.wsdl.namespace, action: operation.responseAction, relatesTo: request.messageId, messageId: `urn:uuid:${randomUUID()}`, body }) };
    } catch (error) {
      const fault = error instanceof SoapFault ? error : new SoapFault('Receiver', { namespace: 'service', name: 'InternalError' }, String(error));
      return { status: fault.code === 'Sender' ? 400 : 500, body: faultEnvelope(fault, cp.wsdl.namespace, relatesTo) };
    }
  }
}

/**
 * Opens a SOAP charger's link: `url` is the Central System service (e.g. http://host:port/soap/ocpp16). Its
 * commands are answered by `handlers` (the 1.6 charger's).
 */
export async function connectSoap(options: { url: string; id: string; version: SoapVersion; handlers: Handlers; callTimeoutMs: number }): Promise<LinkConnection> {
  commandServer ??= CommandServer.start();
  const server = await commandServer;
  server.chargers.set(options.id, { version: options.version, handlers: options.handlers });
  const wsdl = ocppWsdl(`OCPP_CentralSystemService_${options.version}`);
  const cs = { wsdl, codecs: messageCodecs(wsdl) };
  const from = `${server.baseUrl}${encodeURIComponent(options.id)}`;
  const http = keepAlivePost(options.url);
  let open = true;
  return {
    get isOpen() {
      return open;
    },
    async call(action, payload) {
      const request = options.version === '1.5' ? v16RequestAsV15(action, payload as Record<string, unknown>) : payload;
      try {
        const answer = await callSoap({ service: cs.wsdl, codecs: cs.codecs, endpoint: options.url, chargeBoxIdentity: options.id, action, payload: request, from, timeoutMs: options.callTimeoutMs, post: http.post });
        return options.version === '1.5' ? v15AnswerAsV16(action, answer) : answer;
      } catch (error) {
        if (!(error instanceof SoapCallError)) throw error;
        // In the RPC layer's words, so the bench counts SOAP failures as it counts JSON ones.
        throw error.kind === 'timeout' ? new CallTimeoutError(action, options.callTimeoutMs) : new CallError(error.code ?? 'GenericError', error.message);
      }
    },
    async close() {
      open = false;
      server.chargers.delete(options.id);
      await http.close();
    },
  };
}
