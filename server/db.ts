import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type ColumnDefinitionBuilder, type Generated, type Selectable } from 'kysely';
import { Migrator, type Migration, type MigrationProvider } from 'kysely/migration';

export interface PeopleTable {
  id: string;
  name: string;
  title: string | null;
  avatar_url: string | null;
  created_at: string;
}

export interface CommunitiesTable {
  id: string;
  name: string;
  description: string | null;
  kudos_allowance_per_week: number;
  ranking_allowed: number;
  review_interval_days: number;
  /** JSON array of `{ id, label }`. */
  kudos_values: string;
  created_at: string;
}

export interface MembershipsTable {
  community_id: string;
  person_id: string;
  role: 'member' | 'facilitator';
  since: string;
}

export interface KudosTable {
  id: Generated<number>;
  subject: string;
  giver_id: string;
  recipient_id: string;
  community_id: string;
  message: string | null;
  value: string | null;
  status: 'given' | 'declined';
  decline_message: string | null;
  created_at: string;
}

export interface IdempotencyKeysTable {
  person_id: string;
  key: string;
  fingerprint: string;
  state: 'pending' | 'done';
  status_code: number | null;
  content_type: string | null;
  response_body: string | null;
  created_at: string;
}

export interface EventsTable {
  id: Generated<number>;
  type: string;
  /** The event as the contract's `Event` schema, without its `id`. */
  payload: string;
  created_at: string;
}

export interface Database {
  people: PeopleTable;
  communities: CommunitiesTable;
  memberships: MembershipsTable;
  kudos: KudosTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
}

export type PersonRow = Selectable<PeopleTable>;
export type KudosRow = Selectable<KudosTable>;
export type CommunityRow = Selectable<CommunitiesTable>;

export type Dialect = 'sqlite' | 'postgres';

/**
 * One schema for SQLite and PostgreSQL: only the auto-increment id differs. Timestamps are RFC 3339
 * strings written by the server, so both databases return what the contract promises.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  const autoId = (col: ColumnDefinitionBuilder): ColumnDefinitionBuilder =>
    dialect === 'postgres' ? col.primaryKey() : col.primaryKey().autoIncrement();
  return {
    '0001-foundation': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('people')
          .addColumn('id', 'varchar(128)', (c) => c.primaryKey())
          .addColumn('name', 'varchar(200)', (c) => c.notNull())
          .addColumn('title', 'varchar(200)')
          .addColumn('avatar_url', 'varchar(2000)')
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('communities')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('name', 'varchar(200)', (c) => c.notNull())
          .addColumn('description', 'varchar(2000)')
          .addColumn('kudos_allowance_per_week', 'integer', (c) => c.notNull())
          .addColumn('ranking_allowed', 'integer', (c) => c.notNull())
          .addColumn('review_interval_days', 'integer', (c) => c.notNull())
          .addColumn('kudos_values', 'text', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema
          .createTable('memberships')
          .addColumn('community_id', 'varchar(64)', (c) => c.notNull().references('communities.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('role', 'varchar(20)', (c) => c.notNull())
          .addColumn('since', 'varchar(40)', (c) => c.notNull())
          .addPrimaryKeyConstraint('memberships_pk', ['community_id', 'person_id'])
          .execute();
        await db.schema
          .createTable('kudos')
          .addColumn('id', serial, autoId)
          .addColumn('subject', 'varchar(512)', (c) => c.notNull())
          .addColumn('giver_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('recipient_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('community_id', 'varchar(64)', (c) => c.notNull().references('communities.id'))
          .addColumn('message', 'varchar(500)')
          .addColumn('value', 'varchar(64)')
          .addColumn('status', 'varchar(20)', (c) => c.notNull())
          .addColumn('decline_message', 'varchar(500)')
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addUniqueConstraint('kudos_one_per_giver_and_subject', ['giver_id', 'subject'])
          .execute();
        await db.schema.createIndex('kudos_by_subject').on('kudos').columns(['subject', 'id']).execute();
        await db.schema.createIndex('kudos_by_recipient').on('kudos').columns(['recipient_id', 'id']).execute();
        await db.schema
          .createTable('idempotency_keys')
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull())
          .addColumn('key', 'varchar(100)', (c) => c.notNull())
          .addColumn('fingerprint', 'varchar(64)', (c) => c.notNull())
          .addColumn('state', 'varchar(10)', (c) => c.notNull())
          .addColumn('status_code', 'integer')
          .addColumn('content_type', 'varchar(100)')
          .addColumn('response_body', 'text')
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addPrimaryKeyConstraint('idempotency_keys_pk', ['person_id', 'key'])
          .execute();
        await db.schema
          .createTable('events')
          .addColumn('id', serial, autoId)
          .addColumn('type', 'varchar(40)', (c) => c.notNull())
          .addColumn('payload', 'text', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
      },
    },
  };
}

class StaticMigrations implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  getMigrations(): Promise<Record<string, Migration>> {
    return Promise.resolve(migrations(this.dialect));
  }
}

export async function migrate(db: Kysely<Database>, dialect: Dialect): Promise<void> {
  const migrator = new Migrator({ db, provider: new StaticMigrations(dialect) });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('Migration failed.', { cause: error });
}

/** Opens (creating and migrating on first start) the embedded SQLite database at `file`. */
export async function openSqlite(file: string): Promise<Kysely<Database>> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  await migrate(db, 'sqlite');
  return db;
}

export function now(): string {
  return new Date().toISOString();
}

/** `true` when an insert failed on a unique or primary-key constraint, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? error.code : undefined;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

