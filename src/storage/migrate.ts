// Versioned migrations, run at every start: each numbered file runs once per database, in order.
// Kysely's migrator takes a lock, so two processes starting together do not both migrate.
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Dialect } from './db.js';
import * as initial from './migrations/0001_initial.js';
import * as authorizationDecisions from './migrations/0002_authorization_decisions.js';
import * as startRequests from './migrations/0004_start_requests.js';
import * as localLists from './migrations/0003_local_lists.js';
import * as commands from './migrations/0005_commands.js';
import * as eventsWebhooks from './migrations/0006_events_webhooks.js';
import * as wideTransactionIds from './migrations/0007_wide_charger_transaction_ids.js';
import * as storageProbe from './migrations/0008_storage_probe.js';
import * as dialectNeutralSessions from './migrations/0009_dialect_neutral_sessions.js';
import * as chargerMessages from './migrations/0010_charger_messages.js';
import * as sessionRevisions from './migrations/0011_session_revisions.js';
import * as localListTokenTypes from './migrations/0012_local_list_token_types.js';
import * as noStoredLastReading from './migrations/0013_no_stored_last_reading.js';
import * as sessionEventKeys from './migrations/0014_session_event_keys.js';
import * as soapEndpoints from './migrations/0015_soap_endpoints.js';
import * as securityProfiles from './migrations/0016_security_profiles.js';
import * as securityEvents from './migrations/0017_security_events.js';
import * as credentialChanges from './migrations/0018_credential_changes.js';
import * as chargerCertificates from './migrations/0019_charger_certificates.js';

function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': { up: (db: Kysely<any>) => initial.up(db, dialect) },
    '0002_authorization_decisions': { up: (db: Kysely<any>) => authorizationDecisions.up(db, dialect) },
    '0003_local_lists': { up: (db: Kysely<any>) => localLists.up(db, dialect) },
    '0004_start_requests': { up: (db: Kysely<any>) => startRequests.up(db) },
    '0005_commands': { up: (db: Kysely<any>) => commands.up(db, dialect) },
    '0006_events_webhooks': { up: (db: Kysely<any>) => eventsWebhooks.up(db, dialect) },
    '0007_wide_charger_transaction_ids': { up: (db: Kysely<any>) => wideTransactionIds.up(db, dialect) },
    '0008_storage_probe': { up: (db: Kysely<any>) => storageProbe.up(db, dialect) },
    '0009_dialect_neutral_sessions': { up: (db: Kysely<any>) => dialectNeutralSessions.up(db, dialect) },
    '0010_charger_messages': { up: (db: Kysely<any>) => chargerMessages.up(db, dialect) },
    '0011_session_revisions': { up: (db: Kysely<any>) => sessionRevisions.up(db, dialect) },
    '0012_local_list_token_types': { up: (db: Kysely<any>) => localListTokenTypes.up(db) },
    '0013_no_stored_last_reading': { up: (db: Kysely<any>) => noStoredLastReading.up(db) },
    '0014_session_event_keys': { up: (db: Kysely<any>) => sessionEventKeys.up(db, dialect) },
    '0015_soap_endpoints': { up: (db: Kysely<any>) => soapEndpoints.up(db) },
    '0016_security_profiles': { up: (db: Kysely<any>) => securityProfiles.up(db) },
    '0017_security_events': { up: (db: Kysely<any>) => securityEvents.up(db, dialect) },
    '0018_credential_changes': { up: (db: Kysely<any>) => credentialChanges.up(db) },
    '0019_charger_certificates': { up: (db: Kysely<any>) => chargerCertificates.up(db, dialect) },
  };
}

/** `upTo`: stop after this migration (a test of what a later one does to existing rows); else all. */
export async function migrateToLatest(db: Kysely<any>, dialect: Dialect, upTo?: string): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrationsFor(dialect) } });
  const { error, results } = upTo ? await migrator.migrateTo(upTo) : await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`database migration ${failed ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
