// Moving a charger to a new password or a higher security profile (issue 12 point 3; CONFORMANCE 26, 31). The
// change is stored as pending before it is sent, so a charger that applies it and reconnects at once is let in;
// the charger's answer then settles it: Accepted, the new password alone is valid (the higher profile waits for the
// charger's first connection at it: ChargerRegistry.admission); refused, the old one stays. Without an answer the
// charger may have applied it: both stay valid until it connects with one.
import { randomBytes } from 'node:crypto';
import { ChargerFeatureNotSupportedError, ChargerTimeoutError } from '../commands/errors.js';
import { hashChargerPassword } from '../chargers/password.js';
import type { ChargePointRepository, ChargerGateway, Consent, SecurityProfile } from '../ports.js';

export interface CredentialChangeDeps {
  chargePoints: Pick<ChargePointRepository, 'get' | 'put'>;
  gateway: Pick<ChargerGateway, 'send'>;
}

/**
 * 16 to 20 bytes written as 32 to 40 hex digits: a 1.6 AuthorizationKey (whichever way the charger reads it, as text
 * or as the bytes it spells) and a 2.x BasicAuthPassword alike.
 */
export const NEW_PASSWORD_PATTERN = /^(?:[0-9a-fA-F]{2}){16,20}$/;

/** A change the operator asked for cannot be made: nothing was sent. */
export class CredentialChangeRefusedError extends Error {
  constructor(
    readonly reason: 'not-higher' | 'in-progress',
    message: string,
  ) {
    super(message);
    this.name = 'CredentialChangeRefusedError';
  }
}

export interface PasswordChangeResult {
  /** The charger's word. */
  status: string;
  /** Whether the new password is now the only one (false: the old one stays, alone or beside the new one). */
  adopted: boolean;
  /** Whether both stay valid until the charger connects with one (no answer, or RebootRequired). */
  pending: boolean;
}

export interface ProfileRaiseResult {
  status: string;
  accepted: boolean;
  /** The restart's answer, when one was asked and sent. */
  restart: Consent | null;
  /** The profile enforced from the charger's first connection at it; null when it refused. */
  pendingSecurityProfile: SecurityProfile | null;
}

export class CredentialChanges {
  private readonly inProgress = new Set<string>();

  constructor(private readonly deps: CredentialChangeDeps) {}

  /** A fresh password of 20 random bytes, in hex. */
  static generatePassword(): string {
    return randomBytes(20).toString('hex');
  }

  /** Sends `password` (NEW_PASSWORD_PATTERN; kept in lower case) to the charger and settles it by the answer. */
  changePassword(chargePointId: string, password: string): Promise<PasswordChangeResult> {
    const sent = password.toLowerCase();
    const hash = hashChargerPassword(sent);
    return this.oneAtATime(chargePointId, async () => {
      await this.deps.chargePoints.put({ id: chargePointId, pendingPasswordHash: hash });
      const answer = await this.settledBy(chargePointId, () => this.deps.gateway.send(chargePointId, { kind: 'setPassword', password: sent }), { pendingPasswordHash: null });
      if (answer === null) return { status: 'NoAnswer', adopted: false, pending: true };
      if (answer.accepted) {
        await this.deps.chargePoints.put({ id: chargePointId, passwordHash: hash, pendingPasswordHash: null });
        return { status: answer.status, adopted: true, pending: false };
      }
      // RebootRequired: the charger takes it at its next start, so either may come.
      if (answer.status === 'RebootRequired') return { status: answer.status, adopted: false, pending: true };
      await this.deps.chargePoints.put({ id: chargePointId, pendingPasswordHash: null });
      return { status: answer.status, adopted: false, pending: false };
    });
  }

  /**
   * Asks the charger to connect at `profile` from now on (2.x: a network profile in `slot`, tried first), then to
   * restart when `restart` is set. Only upwards: lowering is PUT …/charge-points/{id} with allowDowngrade.
   */
  raiseSecurityProfile(chargePointId: string, input: { profile: 2 | 3; csmsUrl: string | null; slot: number | null; restart: boolean }): Promise<ProfileRaiseResult> {
    return this.oneAtATime(chargePointId, async () => {
      const current = (await this.deps.chargePoints.get(chargePointId))?.securityProfile ?? 0;
      if (input.profile <= current) {
        throw new CredentialChangeRefusedError('not-higher', `Charge point '${chargePointId}' is at security profile ${current}: only a higher one can be asked for`);
      }
      const priority = await this.networkPriority(chargePointId);
      const slot = input.slot ?? freeSlot(priority);
      await this.deps.chargePoints.put({ id: chargePointId, pendingSecurityProfile: input.profile });
      const answer = await this.settledBy(
        chargePointId,
        () => this.deps.gateway.send(chargePointId, { kind: 'raiseSecurityProfile', profile: input.profile, csmsUrl: input.csmsUrl, slot }),
        { pendingSecurityProfile: null },
      );
      if (answer === null) return { status: 'NoAnswer', accepted: false, restart: null, pendingSecurityProfile: input.profile };
      if (!answer.accepted) {
        await this.deps.chargePoints.put({ id: chargePointId, pendingSecurityProfile: null });
        return { status: answer.status, accepted: false, restart: null, pendingSecurityProfile: null };
      }
      // 2.x: the new slot goes first, the others stay behind it to fall back to (A05).
      if (priority !== null) await this.deps.gateway.send(chargePointId, { kind: 'setNetworkPriority', slots: [slot, ...priority.filter((s) => s !== slot)] });
      const restart = input.restart ? await this.deps.gateway.send(chargePointId, { kind: 'restart' }) : null;
      return { status: answer.status, accepted: true, restart, pendingSecurityProfile: input.profile };
    });
  }

  /** The charger's network slots in the order it tries them; null where a dialect has no such order (1.x). */
  private async networkPriority(chargePointId: string): Promise<number[] | null> {
    try {
      return (await this.deps.gateway.send(chargePointId, { kind: 'readNetworkPriority' })).slots;
    } catch (error) {
      if (error instanceof ChargerFeatureNotSupportedError) return null;
      throw error;
    }
  }

  /** The answer to `send`; null when none came in time (the change stays pending); other failures undo the change. */
  private async settledBy<T>(chargePointId: string, send: () => Promise<T>, undo: { pendingPasswordHash?: null; pendingSecurityProfile?: null }): Promise<T | null> {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ChargerTimeoutError) return null;
      await this.deps.chargePoints.put({ id: chargePointId, ...undo });
      throw error;
    }
  }

  private async oneAtATime<T>(chargePointId: string, change: () => Promise<T>): Promise<T> {
    if (this.inProgress.has(chargePointId)) {
      throw new CredentialChangeRefusedError('in-progress', `A credential change for charge point '${chargePointId}' is in progress: wait for its answer`);
    }
    this.inProgress.add(chargePointId);
    try {
      return await change();
    } finally {
      this.inProgress.delete(chargePointId);
    }
  }
}

/** The lowest slot the charger does not use yet; when it did not say, slot 0 is taken to be the one it runs on. */
function freeSlot(priority: number[] | null): number {
  const used = new Set(priority && priority.length > 0 ? priority : [0]);
  let slot = 0;
  while (used.has(slot)) slot++;
  return slot;
}
