// Answers a simulated OCPP 2.0.1 charging station gives to the calls a CSMS sends: what a simple station would.
// Typed by the generated method map, so an answer with a wrong field is a compile error. Remote starts are
// queued for the session loop; a remote stop marks the session it names, which then ends.
import type {
  GetVariableResultType,
  IdTokenType,
  MessageTriggerEnumType,
  V201Methods,
} from '../ocpp/schemas/generated/v201.js';

type StationAction = keyof V201Methods;
export type StationHandlers = {
  [A in StationAction]?: (payload: V201Methods[A]['request']) => Promise<V201Methods[A]['response']>;
};

export interface RemoteStartV201 {
  idToken: IdTokenType;
  evseId: number;
  remoteStartId: number;
}

export interface StationCommandState {
  /** EVSEs are numbered 1..evses, one connector each. */
  evses: number;
  remoteStarts: RemoteStartV201[];
  /** The station's open transactions by EVSE; stopRequested is set by RequestStopTransaction. */
  active: Map<number, { transactionId: string; stopRequested: boolean }>;
  /** Transactions with a TransactionEvent not acknowledged yet (GetTransactionStatus). */
  unacknowledged: ReadonlySet<string>;
  /** Sends the requested message (after the answer); false when the station does not implement it. */
  trigger(message: MessageTriggerEnumType, evseId?: number): boolean;
}

/** The device-model variables a CSMS reads before pushing a local list; anything else is unknown here. */
const VARIABLES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  LocalAuthListCtrlr: { ItemsPerMessage: '100', Entries: '1000' },
};

export function stationCommandHandlers(state: StationCommandState): StationHandlers {
  return {
    RequestStartTransaction: async (req) => {
      const evseId = req.evseId ?? 1;
      // A start on an EVSE the station lacks cannot happen; the 1.6 charger has no such check to mirror.
      if (evseId < 1 || evseId > state.evses) return { status: 'Rejected' };
      state.remoteStarts.push({ idToken: req.idToken, evseId, remoteStartId: req.remoteStartId });
      return { status: 'Accepted' };
    },
    RequestStopTransaction: async (req) => {
      for (const session of state.active.values()) {
        if (session.transactionId === req.transactionId && !session.stopRequested) {
          session.stopRequested = true;
          return { status: 'Accepted' };
        }
      }
      return { status: 'Rejected' };
    },
    GetTransactionStatus: async (req) => {
      if (req.transactionId === undefined) return { messagesInQueue: state.unacknowledged.size > 0 };
      const ongoing = [...state.active.values()].some((s) => s.transactionId === req.transactionId);
      return { messagesInQueue: state.unacknowledged.has(req.transactionId), ongoingIndicator: ongoing };
    },
    GetVariables: async (req) => ({
      getVariableResult: req.getVariableData.map((item): GetVariableResultType => {
        const value = VARIABLES[item.component.name]?.[item.variable.name];
        return {
          attributeStatus: value === undefined ? 'UnknownVariable' : 'Accepted',
          ...(item.attributeType ? { attributeType: item.attributeType } : {}),
          ...(value === undefined ? {} : { attributeValue: value }),
          component: item.component,
          variable: item.variable,
        };
      }) as V201Methods['GetVariables']['response']['getVariableResult'],
    }),
    SetVariables: async (req) => ({
      setVariableResult: req.setVariableData.map((item) => ({
        attributeStatus: 'Accepted' as const,
        ...(item.attributeType ? { attributeType: item.attributeType } : {}),
        component: item.component,
        variable: item.variable,
      })) as V201Methods['SetVariables']['response']['setVariableResult'],
    }),
    TriggerMessage: async (req) => ({ status: state.trigger(req.requestedMessage, req.evse?.id) ? 'Accepted' : 'NotImplemented' }),
    Reset: async () => ({ status: 'Accepted' }),
    UnlockConnector: async () => ({ status: 'Unlocked' }),
    ChangeAvailability: async () => ({ status: 'Accepted' }),
    GetBaseReport: async () => ({ status: 'Accepted' }),
    GetLocalListVersion: async () => ({ versionNumber: 0 }),
    SendLocalList: async () => ({ status: 'Accepted' }),
    ClearCache: async () => ({ status: 'Accepted' }),
    DataTransfer: async () => ({ status: 'UnknownVendorId' }),
  };
}
