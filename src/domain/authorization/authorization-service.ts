// Every authorization decision goes through here: Authorize, StartTransaction, the idTagInfo of a
// StopTransaction, and remote starts. The whitelist decides from memory; with an operator authorizer
// configured, its answer wins, and when it is slow, down or answers nonsense the whitelist decides and the
// record says so. Each decision is recorded with who made it.
import type {
  AuthorizationDecisionRepository,
  Clock,
  DecisionReason,
  DecisionSource,
  EventFactory,
  RemoteAuthorizer,
} from '../ports.js';
import { parseAuthorizerAnswer } from './authorizer-answer.js';
import type { IdTagInfo } from './decide.js';
import { idTagKey, type IdTagTable } from './id-tag-table.js';

export interface DecisionRequest {
  chargePointId: string;
  connectorId: number | null;
  idTag: string;
  reason: DecisionReason;
  /** The charger has acted already and only wants the token's standing (a session's end): the whitelist answers, no authorizer. */
  whitelistOnly?: boolean;
  /** The token's type as the charger presented it (2.x). */
  idTokenType?: string | null;
}

export interface Decision {
  info: IdTagInfo;
  source: DecisionSource;
  detail: string | null;
}

export interface AuthorizationServiceDeps {
  idTags: IdTagTable;
  decisions: AuthorizationDecisionRepository;
  clock: Clock;
  /** null when no authorizer is configured. */
  remote: RemoteAuthorizer | null;
  /** How long an authorizer answer is reused for the same charger and tag; 0 disables the cache. */
  cacheMs: number;
  onRecordError?: (error: unknown) => void;
  /** authorization.decided goes to the outbox with the decision's own row. */
  events?: EventFactory;
}

export class AuthorizationService {
  private readonly cache = new Map<string, { info: IdTagInfo; until: number }>();

  constructor(private readonly deps: AuthorizationServiceDeps) {}

  async decide(request: DecisionRequest): Promise<Decision> {
    const decision = request.whitelistOnly || !this.deps.remote ? this.fromWhitelist(request) : await this.fromAuthorizer(request);
    this.record(request, decision);
    return decision;
  }

  /** Drops cached authorizer answers for a tag (its whitelist entry changed). */
  forget(idTag: string): void {
    const suffix = `\u0000${idTagKey(idTag)}`;
    for (const key of this.cache.keys()) if (key.endsWith(suffix)) this.cache.delete(key);
  }

  private fromWhitelist(request: DecisionRequest, source: DecisionSource = 'whitelist', detail: string | null = null): Decision {
    return { info: this.deps.idTags.decide(request.idTag, this.deps.clock.now()), source, detail };
  }

  private async fromAuthorizer(request: DecisionRequest): Promise<Decision> {
    const key = `${request.chargePointId}\u0000${idTagKey(request.idTag)}`;
    const now = this.deps.clock.now().getTime();
    const cached = this.cache.get(key);
    if (cached && cached.until > now) return { info: cached.info, source: 'authorizer-cache', detail: null };
    let raw: unknown;
    try {
      raw = await this.deps.remote!.ask({
        chargePointId: request.chargePointId,
        connectorId: request.connectorId,
        idTag: request.idTag,
        reason: request.reason,
        ...(request.idTokenType ? { idTokenType: request.idTokenType } : {}),
      });
    } catch (error) {
      return this.fromWhitelist(request, 'fallback', error instanceof Error ? error.message : String(error));
    }
    const parsed = parseAuthorizerAnswer(raw);
    if (!parsed.ok) return this.fromWhitelist(request, 'fallback', `authorizer answered nonsense: ${parsed.problem}`);
    if (this.deps.cacheMs > 0) {
      this.cache.set(key, { info: parsed.info, until: now + this.deps.cacheMs });
      if (this.cache.size > 100_000) this.cache.delete(this.cache.keys().next().value!);
    }
    return { info: parsed.info, source: 'authorizer', detail: null };
  }

  private record(request: DecisionRequest, decision: Decision): void {
    const row = {
      chargePointId: request.chargePointId,
      connectorId: request.connectorId,
      idTag: request.idTag,
      reason: request.reason,
      status: decision.info.status,
      source: decision.source,
      detail: decision.detail,
      decidedAt: this.deps.clock.now().toISOString(),
      idTokenType: request.idTokenType ?? null,
    };
    this.deps.decisions
      .record(row, this.deps.events && [this.deps.events.create('authorization.decided', { ...row })])
      .catch((error: unknown) => this.deps.onRecordError?.(error));
  }
}
