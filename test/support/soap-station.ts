// A SOAP charger's own ChargePointService, as a test runs it: a real HTTP server that records each request it
// gets (headers without prefixes, the body element) and answers with the envelope the test writes by hand.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

export interface ReceivedCall {
  contentType: string | undefined;
  header: Record<string, any>;
  /** The body's one element by its local name. */
  body: Record<string, any>;
}

/** What the station answers: the status and the raw text (an envelope, or anything else). */
export type StationAnswer = (call: ReceivedCall) => { status?: number; contentType?: string; text: string } | Promise<{ status?: number; contentType?: string; text: string }>;

/** An answer envelope of the 1.6 ChargePointService, RelatesTo the request's MessageID. */
export function cpAnswer16(call: ReceivedCall, body: string): { text: string } {
  return cpAnswer(call, body, 'urn://Ocpp/Cp/2015/10/');
}

/** The same of the 1.5 ChargePointService. */
export function cpAnswer15(call: ReceivedCall, body: string): { text: string } {
  return cpAnswer(call, body, 'urn://Ocpp/Cp/2012/06/');
}

function cpAnswer(call: ReceivedCall, body: string, ns: string): { text: string } {
  return {
    text: `<?xml version="1.0" encoding="UTF-8"?><soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:cp="${ns}">
<soap:Header><wsa:Action>${text(call.header.Action)}Response</wsa:Action><wsa:RelatesTo>${text(call.header.MessageID)}</wsa:RelatesTo></soap:Header>
<soap:Body>${body}</soap:Body></soap:Envelope>`,
  };
}

function text(value: any): string {
  return typeof value === 'object' && value !== null ? String(value['#text'] ?? '') : String(value ?? '');
}

export class SoapStation {
  readonly calls: ReceivedCall[] = [];
  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(answer: StationAnswer): Promise<SoapStation> {
    let station: SoapStation;
    const server = createServer((req, res) => {
      let data = '';
      req.on('data', (chunk) => (data += chunk));
      req.on('end', async () => {
        const parsed = parser.parse(data);
        const header = Object.fromEntries(Object.entries(parsed.Envelope?.Header ?? {}).map(([name, value]: [string, any]) => [name, name === 'From' || name === 'ReplyTo' ? text(value?.Address) : text(value)]));
        const call: ReceivedCall = { contentType: req.headers['content-type'], header, body: parsed.Envelope?.Body ?? {} };
        station.calls.push(call);
        const reply = await answer(call);
        res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType ?? 'application/soap+xml; charset=utf-8' });
        res.end(reply.text);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    station = new SoapStation(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/ocpp`);
    return station;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
