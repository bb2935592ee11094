// A SOAP 1.6 charger as a test writes it: envelopes by hand, as the WSDL and the specification's examples show
// them (independent of Voltgate's own envelope code), posted over real HTTP; answers parsed without prefixes.
import { randomUUID } from 'node:crypto';
import { XMLParser } from 'fast-xml-parser';

export const CS16_NS = 'urn://Ocpp/Cs/2015/10/';
export const CS15_NS = 'urn://Ocpp/Cs/2012/06/';
/** The wsa:From of the requests below: an address where no charger service listens. */
export const NO_SERVICE = 'http://127.0.0.1:1/ocpp';
const parser = new XMLParser({ removeNSPrefix: true, ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false });

export interface SoapAnswer {
  status: number;
  contentType: string | null;
  header: Record<string, any>;
  /** The body's one element, by its local name (e.g. { authorizeResponse: … } or { Fault: … }). */
  body: Record<string, any>;
}

/** The envelope of one 1.6 request; `headers` replaces the addressing headers when a test needs them wrong. */
export function envelope16(identity: string, action: string, body: string, headers?: string): string {
  return envelope(CS16_NS, identity, action, body, headers);
}

/** The envelope of one request to the service of namespace `ns` (the body's `cs:` prefix is bound to it). */
export function envelope(ns: string, identity: string, action: string, body: string, headers?: string): string {
  const addressing =
    headers ??
    `<cs:chargeBoxIdentity>${identity}</cs:chargeBoxIdentity>
     <wsa:Action soap:mustUnderstand="true">/${action}</wsa:Action>
     <wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>
     <wsa:From><wsa:Address>${NO_SERVICE}</wsa:Address></wsa:From>
     <wsa:ReplyTo><wsa:Address>http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>
     <wsa:To>http://csms/soap</wsa:To>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" xmlns:wsa="http://www.w3.org/2005/08/addressing" xmlns:cs="${ns}">
  <soap:Header>${addressing}</soap:Header>
  <soap:Body>${body}</soap:Body>
</soap:Envelope>`;
}

export async function postSoap(url: string, text: string, init: { contentType?: string; authorization?: string } = {}): Promise<SoapAnswer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': init.contentType ?? 'application/soap+xml; charset=utf-8', ...(init.authorization ? { authorization: init.authorization } : {}) },
    body: text,
  });
  const parsed = parser.parse(await response.text());
  // Header values as their text, whatever attributes they carry (mustUnderstand).
  const header = Object.fromEntries(Object.entries(parsed.Envelope?.Header ?? {}).map(([name, value]: [string, any]) => [name, value?.['#text'] ?? value]));
  return { status: response.status, contentType: response.headers.get('content-type'), header, body: parsed.Envelope?.Body ?? {} };
}

/** One OCPP 1.6 SOAP request of `identity`, with correct headers. */
export function soap16(url: string, identity: string, action: string, body: string): Promise<SoapAnswer> {
  return postSoap(url, envelope16(identity, action, body));
}

/** One OCPP 1.5 SOAP request of `identity`, with correct headers. */
export function soap15(url: string, identity: string, action: string, body: string): Promise<SoapAnswer> {
  return postSoap(url, envelope(CS15_NS, identity, action, body));
}

/** One OCPP 1.6 SOAP request of `identity` that announces `from` as its own service (wsa:From), as a charger does on every request. */
export function soap16From(url: string, identity: string, from: string, action: string, body: string): Promise<SoapAnswer> {
  return postSoap(url, envelope16(identity, action, body).replace(NO_SERVICE, from));
}
