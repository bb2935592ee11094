// Answers a simulated charger gives to the calls a CSMS sends: accept what a simple charger would.
// Remote starts are queued for the session loop; a remote stop ends the session it names.

export interface ChargerCommandState {
  remoteStarts: Array<{ connectorId: number; idTag: string }>;
  /** The charger's open sessions by connector. */
  active: Map<number, { transactionId: number; idTag: string }>;
}

export function chargerCommandHandlers(state: ChargerCommandState): Record<string, (payload: any) => Promise<unknown>> {
  return {
    RemoteStartTransaction: async (req: { idTag: string; connectorId?: number }) => {
      state.remoteStarts.push({ idTag: req.idTag, connectorId: req.connectorId ?? 1 });
      return { status: 'Accepted' };
    },
    RemoteStopTransaction: async (req: { transactionId: number }) => {
      for (const [connectorId, session] of state.active) {
        if (session.transactionId === req.transactionId) {
          state.active.delete(connectorId);
          return { status: 'Accepted' };
        }
      }
      return { status: 'Rejected' };
    },
    Reset: async () => ({ status: 'Accepted' }),
    ClearCache: async () => ({ status: 'Accepted' }),
    ChangeAvailability: async () => ({ status: 'Accepted' }),
    ChangeConfiguration: async () => ({ status: 'Accepted' }),
    GetConfiguration: async () => ({
      configurationKey: [
        { key: 'HeartbeatInterval', readonly: false, value: '300' },
        { key: 'LocalAuthListMaxLength', readonly: true, value: '1000' },
        { key: 'SendLocalListMaxLength', readonly: true, value: '100' },
      ],
      unknownKey: [],
    }),
    GetLocalListVersion: async () => ({ listVersion: 0 }),
    SendLocalList: async () => ({ status: 'Accepted' }),
    UnlockConnector: async () => ({ status: 'Unlocked' }),
    TriggerMessage: async () => ({ status: 'Accepted' }),
    DataTransfer: async () => ({ status: 'UnknownVendorId' }),
  };
}
