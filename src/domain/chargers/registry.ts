// Which chargers exist and how they are registered, held in memory so the WebSocket handshake and
// BootNotification never wait on the database. Writes go to storage first, then to memory (a registered
// charger's boot details excepted: see recordBoot).
import { verifyChargerPassword } from './password.js';
import type { BasicCredentials } from '../ports.js';
import type {
  ChargePointInput,
  ChargePointRecord,
  ChargePointRepository,
  Log,
  Page,
  PageQuery,
  RegistrationStatus,
  SecurityProfile,
} from '../ports.js';

export type UnknownChargerPolicy = 'reject' | 'pending' | 'accept';

interface Registration {
  registrationStatus: RegistrationStatus;
  securityProfile: SecurityProfile;
  passwordHash: string | null;
  pendingPasswordHash: string | null;
  pendingSecurityProfile: SecurityProfile | null;
  protocols: string[] | null;
  soapEndpoint: string | null;
  /** The dialect it last booted with. */
  protocol: string | null;
}

/** How a charger reached us, as its handshake showed: over TLS or not, and the client certificate it gave. */
export interface ChargerTransport {
  secure: boolean;
  clientCertificate: { verified: boolean; problem: string | null; commonName: string | null } | null;
}

/** Why a charger may not connect: no or a wrong password, unknown, not over TLS, or no fitting client certificate. */
export type Admission = 'accept' | 'unauthorized' | 'unknown' | 'needs-tls' | 'needs-certificate';

/** The password as sent, or as the bytes a 1.6 AuthorizationKey's hex spells (domain/chargers/password.ts). */
const passwordFits = (credentials: BasicCredentials, hash: string) =>
  verifyChargerPassword(credentials.password, hash) || (credentials.passwordHex !== undefined && verifyChargerPassword(credentials.passwordHex, hash));

const IN_THE_CLEAR: ChargerTransport = { secure: false, clientCertificate: null };

export class ChargerRegistry implements ChargePointRepository {
  private readonly known = new Map<string, Registration>();
  private readonly seen = new Set<string>();
  /** Boot details being written, by charger: a read of that charger waits for them. */
  private readonly bootWrites = new Map<string, Promise<void>>();

  constructor(
    private readonly repository: ChargePointRepository,
    readonly unknownChargers: UnknownChargerPolicy,
    private readonly log: Pick<Log, 'error'> | null = null,
  ) {}

  async load(): Promise<void> {
    this.known.clear();
    let cursor: string | null = null;
    do {
      const page: Page<ChargePointRecord> = await this.repository.list({ limit: 1000, cursor });
      for (const cp of page.items) {
        this.known.set(cp.id, this.registrationOf(cp));
      }
      cursor = page.nextCursor;
    } while (cursor);
  }

  /**
   * May this identity open a connection? A charger with a password must present it with HTTP Basic auth,
   * its id as the username (security profile 1): 401 otherwise. At security profile 2 it must come over TLS; at 3
   * over TLS with a client certificate verified against the trusted CAs whose CN is its id (its password is not
   * asked). Unknown chargers only under the pending or accept policy: 404 otherwise. Decided from memory, so a
   * refused attempt never touches a live session; a connection never lowers a charger's profile.
   *
   * A change in flight settles here: a charger that meets the higher profile it accepted is held to it from now on
   * (CONFORMANCE 31), and one that uses the new password it was sent has the old one forgotten (CONFORMANCE 26).
   */
  admission(id: string, basicAuth: BasicCredentials | null, transport: ChargerTransport = IN_THE_CLEAR): Admission {
    const known = this.known.get(id);
    if (!known) return this.unknownChargers === 'reject' ? 'unknown' : 'accept';
    const raised = known.pendingSecurityProfile;
    if (raised !== null && raised > known.securityProfile && this.meets(id, known, raised, basicAuth, transport) === 'accept') {
      this.settle(id, { securityProfile: raised, pendingSecurityProfile: null });
      return 'accept';
    }
    return this.meets(id, known, known.securityProfile, basicAuth, transport);
  }

  private meets(id: string, known: Registration, profile: SecurityProfile, basicAuth: BasicCredentials | null, transport: ChargerTransport): Admission {
    if (profile >= 2 && !transport.secure) return 'needs-tls';
    if (profile === 3) {
      const certificate = transport.clientCertificate;
      return certificate?.verified && certificate.commonName === id ? 'accept' : 'needs-certificate';
    }
    if (known.passwordHash === null && known.pendingPasswordHash === null) return 'accept';
    const fits = (hash: string | null) => hash !== null && basicAuth !== null && basicAuth.username === id && passwordFits(basicAuth, hash);
    if (fits(known.passwordHash)) return 'accept';
    if (fits(known.pendingPasswordHash)) {
      this.settle(id, { passwordHash: known.pendingPasswordHash, pendingPasswordHash: null });
      return 'accept';
    }
    // A charger given its first password may still come without one until it has taken it.
    return known.passwordHash === null ? 'accept' : 'unauthorized';
  }

  /** A change settled by a connection: held in memory at once, so the next handshake sees it, and then stored. */
  private settle(id: string, change: Partial<Pick<Registration, 'securityProfile' | 'pendingSecurityProfile' | 'passwordHash' | 'pendingPasswordHash'>>): void {
    this.remember(id, change);
    this.repository.put({ id, ...change }).catch((error: unknown) => this.log?.error({ err: error, chargePointId: id }, 'could not store a settled credential change'));
  }

  /** The dialects this charger may use (CONFORMANCE 19); null: any the server speaks. */
  protocolsFor(id: string): readonly string[] | null {
    return this.known.get(id)?.protocols ?? null;
  }

  /** The dialect the charger last booted with; null before its first boot. */
  lastProtocolOf(id: string): string | null {
    return this.known.get(id)?.protocol ?? null;
  }

  /** Where a SOAP charger is called; null when it announced none and none was set. */
  soapEndpointFor(id: string): string | null {
    return this.known.get(id)?.soapEndpoint ?? null;
  }

  /** A SOAP charger told where its own service listens: kept when it changed (CONFORMANCE 79). */
  async announceSoapEndpoint(id: string, endpoint: string): Promise<void> {
    const known = this.known.get(id);
    if (known?.soapEndpoint === endpoint) return;
    // A charger not registered yet is registered as the unknown-charger policy says, never Accepted by this.
    await this.put({ id, soapEndpoint: endpoint, ...(known ? {} : { registrationStatus: this.registrationFor(id) }) });
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
    const registrationStatus = this.registrationFor(id);
    await this.repository.register(id, registrationStatus);
    this.remember(id, { registrationStatus });
  }

  register: ChargePointRepository['register'] = (id, registrationStatus) => this.repository.register(id, registrationStatus);

  private registrationOf(cp: ChargePointRecord): Registration {
    return { registrationStatus: cp.registrationStatus, securityProfile: cp.securityProfile, passwordHash: cp.passwordHash, pendingPasswordHash: cp.pendingPasswordHash, pendingSecurityProfile: cp.pendingSecurityProfile, protocols: cp.protocols, soapEndpoint: cp.soapEndpoint, protocol: cp.protocol };
  }

  private remember(id: string, registration: Partial<Registration>): void {
    const current = this.known.get(id) ?? { registrationStatus: this.registrationFor(id), securityProfile: 0, passwordHash: null, pendingPasswordHash: null, pendingSecurityProfile: null, protocols: null, soapEndpoint: null, protocol: null };
    this.known.set(id, { ...current, ...registration });
  }

  async get(id: string): Promise<ChargePointRecord | null> {
    await this.bootWrites.get(id);
    return this.repository.get(id);
  }

  async list(query: PageQuery): Promise<Page<ChargePointRecord>> {
    if (this.bootWrites.size > 0) await Promise.all(this.bootWrites.values());
    return this.repository.list(query);
  }

  async put(input: ChargePointInput): Promise<ChargePointRecord> {
    const saved = await this.repository.put(input);
    this.remember(saved.id, this.registrationOf(saved));
    return saved;
  }

  async delete(id: string): Promise<boolean> {
    const deleted = await this.repository.delete(id);
    this.known.delete(id);
    return deleted;
  }

  /**
   * A boot's details. A registered charger is answered without waiting for them (a reconnect storm must not
   * queue every answer behind a commit): they go with the next group commit, and a read of the charger waits
   * for them. A charger not registered yet is written before its answer.
   */
  recordBoot: ChargePointRepository['recordBoot'] = async (input) => {
    const registered = this.known.has(input.id);
    this.remember(input.id, { registrationStatus: input.registrationStatus, protocol: input.protocol });
    const write = this.repository.recordBoot(input);
    const tracked: Promise<void> = write
      .catch((error: unknown) => {
        if (registered) this.log?.error({ err: error, chargePointId: input.id }, 'could not record a boot');
      })
      .finally(() => {
        if (this.bootWrites.get(input.id) === tracked) this.bootWrites.delete(input.id);
      });
    this.bootWrites.set(input.id, tracked);
    if (!registered) await write;
  };

  recordStatus: ChargePointRepository['recordStatus'] = (input, events) => this.repository.recordStatus(input, events);

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
