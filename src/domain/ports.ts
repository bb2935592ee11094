// The interfaces the domain needs from the outside world. Storage implements the repositories,
// the OCPP layer implements ChargerGateway, server/ wires them together. The domain imports nothing else.
// One file per port family in ports/; this module gathers them so importers need one path.
export type * from './ports/common.js';
export type * from './ports/chargers.js';
export type * from './ports/intents.js';
export type * from './ports/id-tags.js';
export type * from './ports/transactions.js';
export type * from './ports/commands.js';
export type * from './ports/authorization.js';
export type * from './ports/events.js';
export type * from './ports/storage.js';
