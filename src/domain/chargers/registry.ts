// Which chargers exist and how they are registered, held in memory so the WebSocket handshake and
// BootNotification never wait on the database. Writes go to storage first, then to memory.
import type {
  ChargePointInput,
  ChargePointRecord,
  ChargePointRepository,
  Page,
  PageQuery,
  RegistrationStatus,
} from '../ports.js';

export type UnknownChargerPolicy = 'reject' | 'pending' | 'accept';

interface Registration {
  registrationStatus: RegistrationStatus;
}

export class ChargerRegistry implements ChargePointRepository {
  private readonly known = new Map<string, Registration>();
  private readonly seen = new Set<string>();

  constructor(
    private readonly repository: ChargePointRepository,
    readonly unknownChargers: UnknownChargerPolicy,
  ) {}

  async load(): Promise<void> {
    this.known.clear();
    let cursor: string | null = null;
    do {
      const page: Page<ChargePointRecord> = await this.repository.list({ limit: 1000, cursor });
      for (const cp of page.items) this.known.set(cp.id, { registrationStatus: cp.registrationStatus });
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** May this identity open a connection? Unknown chargers only under the pending or accept policy. */
  mayConnect(id: string): boolean {
    return this.known.has(id) || this.unknownChargers !== 'reject';
  }

  /** The registration status a BootNotification from this charger gets. */
  registrationFor(id: string): RegistrationStatus {
    const known = this.known.get(id);
    if (known) return known.registrationStatus;
    return this.unknownChargers === 'accept' ? 'Accepted' : this.unknownChargers === 'pending' ? 'Pending' : 'Rejected';
  }

  /** A charger admitted by the unknown-charger policy is registered at its first connection, so operators see it at once. */
  async admit(id: string): Promise<void> {
    if (this.known.has(id)) return;
    await this.put({ id, registrationStatus: this.registrationFor(id) });
  }

  remember(id: string, registrationStatus: RegistrationStatus): void {
    this.known.set(id, { registrationStatus });
  }

  get(id: string): Promise<ChargePointRecord | null> {
    return this.repository.get(id);
  }

  list(query: PageQuery): Promise<Page<ChargePointRecord>> {
    return this.repository.list(query);
  }

  async put(input: ChargePointInput): Promise<ChargePointRecord> {
    const saved = await this.repository.put(input);
    this.remember(saved.id, saved.registrationStatus);
    return saved;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.repository.delete(id);
    this.known.delete(id);
    return deleted;
  }

  recordBoot: ChargePointRepository['recordBoot'] = async (input) => {
    await this.repository.recordBoot(input);
    this.remember(input.id, input.registrationStatus);
  };

  recordStatus: ChargePointRepository['recordStatus'] = (input) => this.repository.recordStatus(input);

  /** Last-seen times are gathered here and written in bulk by flushSeen(): they are not worth a write per message. */
  touch(id: string): void {
    this.seen.add(id);
  }

  markSeen: ChargePointRepository['markSeen'] = (ids, at) => this.repository.markSeen(ids, at);

  async flushSeen(now: Date): Promise<void> {
    if (this.seen.size === 0) return;
    const ids = [...this.seen];
    this.seen.clear();
    await this.repository.markSeen(ids, now.toISOString());
  }
}
