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
  /** When the person took their current role (a promotion); `null` when it has not changed since they joined. */
  role_since: string | null;
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

/** A discussion thread, created by the first comment on its subject. */
export interface ThreadsTable {
  subject: string;
  community_id: string;
  mode: 'discussion' | 'question';
  locked: number;
  /** No foreign key: threads and comments refer to each other. Cleared when the comment goes. */
  accepted_comment_id: number | string | null;
  created_by: string;
  created_at: string;
  last_comment_at: string;
  /** Comments anyone may read (neither hidden nor deleted), kept in step in each write's transaction. */
  comment_count: number;
}

export interface CommentsTable {
  id: Generated<number>;
  subject: string;
  parent_id: number | string | null;
  /** Kept after deletion, never shown: the placeholder has no author. */
  author_id: string;
  body: string;
  state: 'visible' | 'hidden' | 'deleted';
  /** When a facilitator pinned it (`null`: not pinned); pinned comments come first, oldest pin first. */
  pinned_at: string | null;
  /** The number of reactions, kept in step with `comment_reactions` (the `reactions` sort). */
  reaction_count: number;
  created_at: string;
  edited_at: string | null;
}

export interface CommentReactionsTable {
  comment_id: number | string;
  person_id: string;
  emoji: string;
  created_at: string;
}

export interface CommentMentionsTable {
  comment_id: number | string;
  person_id: string;
}

export interface CommentFlagsTable {
  id: Generated<number>;
  comment_id: number | string;
  person_id: string;
  reason: string;
  created_at: string;
}

/**
 * One row per giver and community, written at the start of every give: the row lock it takes
 * serialises one giver's gives in one community, so counting this week's kudos and inserting the
 * next one cannot race past the allowance (PostgreSQL locks the row until commit; SQLite serialises
 * all writes anyway).
 */
export interface KudosAllowanceLocksTable {
  giver_id: string;
  community_id: string;
  last_given_at: string;
}

/** A person's own preferences; no row means every default (`spotlight_opt_out` 0). */
export interface PersonPreferencesTable {
  person_id: string;
  /** 1: never shown in a community's spotlight. */
  spotlight_opt_out: number;
  updated_at: string;
}

/** A badge a community awards: by hand, or by the server when `measure_kind` reaches `measure_target`. */
export interface AchievementsTable {
  /** `<community>.<slug>`, unique across communities. */
  id: string;
  community_id: string;
  name: string;
  description: string;
  criteria: string;
  /** An absolute URL, or a path on this server (made absolute with the public URL when sent). */
  image_url: string;
  category: string | null;
  /** JSON array of tags. */
  tags: string;
  /** JSON array of `{ targetName, targetUrl }`. */
  alignment: string;
  validity_days: number | null;
  measure_kind: string | null;
  measure_target: number | null;
  measure_value: string | null;
  /** Display order in the community's catalogue. */
  position: number;
  created_at: string;
}

/**
 * One award of one achievement to one person, ever: the unique pair is what makes automatic
 * awarding exactly-once whoever triggers it. `seq` is also the award's index in its issuer's
 * revocation status list. The signed credential is written with the row and never changes.
 */
export interface AwardsTable {
  seq: Generated<number>;
  id: string;
  achievement_id: string;
  recipient_id: string;
  community_id: string;
  issued_at: string;
  valid_until: string | null;
  /** JSON array of `Evidence`. */
  evidence: string;
  /** The facilitator who awarded it by hand; `null`: the server, for activity. */
  awarded_by: string | null;
  revoked_at: string | null;
  revocation_reason: string | null;
  /** The VC-JWT as issued. */
  credential: string;
}

/** The issuer's Ed25519 keys; the newest signs, all stay published so old credentials verify. */
export interface SigningKeysTable {
  kid: string;
  private_jwk: string;
  public_jwk: string;
  created_at: string;
}

/** A knowledge card at its latest version; every version's text is also in `card_versions`. */
export interface CardsTable {
  id: Generated<number>;
  community_id: string;
  status: 'draft' | 'published';
  author_id: string;
  last_editor_id: string;
  title: string;
  summary: string;
  body: string;
  /** JSON array of tags. */
  tags: string;
  version: number;
  /** `null`: the community's interval. */
  review_interval_days: number | null;
  source_subject: string | null;
  source_comment_id: number | string | null;
  /** The answer's author, when a card was written from an answer by someone else. */
  credited_id: string | null;
  verified_by: string | null;
  verified_at: string | null;
  review_by: string | null;
  flagged_by: string | null;
  flag_reason: string | null;
  flagged_at: string | null;
  /** People counted once a day each (`card_views`), kept in step in the same transaction. */
  views: number;
  created_at: string;
  updated_at: string;
}

export interface CardVersionsTable {
  card_id: number | string;
  version: number;
  title: string;
  summary: string;
  body: string;
  tags: string;
  editor_id: string;
  created_at: string;
}

export interface CardExpertsTable {
  card_id: number | string;
  person_id: string;
}

export interface CardVotesTable {
  card_id: number | string;
  person_id: string;
  helpful: number;
  updated_at: string;
}

export interface CardViewsTable {
  card_id: number | string;
  person_id: string;
  /** `YYYY-MM-DD` (UTC) of the view. */
  day: string;
}

/** Each verification, for the record and for "cards verified" badges. */
export interface CardVerificationsTable {
  id: Generated<number>;
  card_id: number | string;
  person_id: string;
  created_at: string;
}

export interface Database {
  people: PeopleTable;
  communities: CommunitiesTable;
  memberships: MembershipsTable;
  kudos: KudosTable;
  idempotency_keys: IdempotencyKeysTable;
  events: EventsTable;
  threads: ThreadsTable;
  comments: CommentsTable;
  comment_reactions: CommentReactionsTable;
  comment_mentions: CommentMentionsTable;
  comment_flags: CommentFlagsTable;
  kudos_allowance_locks: KudosAllowanceLocksTable;
  person_preferences: PersonPreferencesTable;
  achievements: AchievementsTable;
  awards: AwardsTable;
  signing_keys: SigningKeysTable;
  cards: CardsTable;
  card_versions: CardVersionsTable;
  card_experts: CardExpertsTable;
  card_votes: CardVotesTable;
  card_views: CardViewsTable;
  card_verifications: CardVerificationsTable;
}

export type PersonRow = Selectable<PeopleTable>;
export type KudosRow = Selectable<KudosTable>;
export type CommunityRow = Selectable<CommunitiesTable>;
export type ThreadRow = Selectable<ThreadsTable>;
export type CommentRow = Selectable<CommentsTable>;
export type AchievementRow = Selectable<AchievementsTable>;
export type AwardRow = Selectable<AwardsTable>;
export type CardRow = Selectable<CardsTable>;

export type Dialect = 'sqlite' | 'postgres';

/**
 * One schema for SQLite and PostgreSQL: only the auto-increment id differs. Timestamps are RFC 3339
 * strings written by the server, so both databases return what the contract promises.
 */
function migrations(dialect: Dialect): Record<string, Migration> {
  const serial = dialect === 'postgres' ? 'bigserial' : 'integer';
  /** A column that refers to an auto-increment id: `bigint` beside PostgreSQL's `bigserial`. */
  const serialRef = dialect === 'postgres' ? 'bigint' : 'integer';
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
    '0002-discussions': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('threads')
          .addColumn('subject', 'varchar(512)', (c) => c.primaryKey())
          .addColumn('community_id', 'varchar(64)', (c) => c.notNull().references('communities.id'))
          .addColumn('mode', 'varchar(20)', (c) => c.notNull())
          .addColumn('locked', 'integer', (c) => c.notNull())
          .addColumn('accepted_comment_id', serialRef)
          .addColumn('created_by', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('last_comment_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('comment_count', 'integer', (c) => c.notNull())
          .execute();
        await db.schema
          .createIndex('threads_by_community_activity')
          .on('threads')
          .columns(['community_id', 'last_comment_at', 'subject'])
          .execute();
        await db.schema
          .createTable('comments')
          .addColumn('id', serial, autoId)
          .addColumn('subject', 'varchar(512)', (c) => c.notNull().references('threads.subject'))
          .addColumn('parent_id', serialRef, (c) => c.references('comments.id'))
          .addColumn('author_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('state', 'varchar(10)', (c) => c.notNull())
          .addColumn('pinned_at', 'varchar(40)')
          .addColumn('reaction_count', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('edited_at', 'varchar(40)')
          .execute();
        await db.schema.createIndex('comments_by_subject').on('comments').columns(['subject', 'parent_id', 'id']).execute();
        await db.schema.createIndex('comments_by_parent').on('comments').columns(['parent_id', 'id']).execute();
        await db.schema
          .createTable('comment_reactions')
          .addColumn('comment_id', serialRef, (c) => c.notNull().references('comments.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('emoji', 'varchar(32)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addPrimaryKeyConstraint('comment_reactions_pk', ['comment_id', 'emoji', 'person_id'])
          .execute();
        await db.schema
          .createTable('comment_mentions')
          .addColumn('comment_id', serialRef, (c) => c.notNull().references('comments.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addPrimaryKeyConstraint('comment_mentions_pk', ['comment_id', 'person_id'])
          .execute();
        await db.schema
          .createTable('comment_flags')
          .addColumn('id', serial, autoId)
          .addColumn('comment_id', serialRef, (c) => c.notNull().references('comments.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('reason', 'varchar(1000)', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addUniqueConstraint('comment_flags_one_per_person', ['comment_id', 'person_id'])
          .execute();
      },
    },
    '0003-recognition': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('kudos_allowance_locks')
          .addColumn('giver_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('community_id', 'varchar(64)', (c) => c.notNull().references('communities.id'))
          .addColumn('last_given_at', 'varchar(40)', (c) => c.notNull())
          .addPrimaryKeyConstraint('kudos_allowance_locks_pk', ['giver_id', 'community_id'])
          .execute();
        // This week's kudos of one giver in one community (the allowance), and a community's feed.
        await db.schema.createIndex('kudos_by_giver_week').on('kudos').columns(['giver_id', 'community_id', 'created_at']).execute();
        await db.schema.createIndex('kudos_by_community').on('kudos').columns(['community_id', 'id']).execute();
      },
    },
    '0004-spotlight': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('person_preferences')
          .addColumn('person_id', 'varchar(128)', (c) => c.primaryKey().references('people.id'))
          .addColumn('spotlight_opt_out', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        // A community's kudos in a period (the spotlight), whatever their subject or giver.
        await db.schema.createIndex('kudos_by_community_time').on('kudos').columns(['community_id', 'created_at']).execute();
      },
    },
    '0005-role-since': {
      async up(db: Kysely<unknown>) {
        // A member promoted to facilitator today is a new facilitator, though a member for a year.
        await db.schema.alterTable('memberships').addColumn('role_since', 'varchar(40)').execute();
      },
    },
    '0006-badges': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('achievements')
          .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
          .addColumn('community_id', 'varchar(64)', (c) => c.notNull().references('communities.id'))
          .addColumn('name', 'varchar(200)', (c) => c.notNull())
          .addColumn('description', 'varchar(2000)', (c) => c.notNull())
          .addColumn('criteria', 'varchar(4000)', (c) => c.notNull())
          .addColumn('image_url', 'varchar(2000)', (c) => c.notNull())
          .addColumn('category', 'varchar(100)')
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('alignment', 'text', (c) => c.notNull())
          .addColumn('validity_days', 'integer')
          .addColumn('measure_kind', 'varchar(40)')
          .addColumn('measure_target', 'integer')
          .addColumn('measure_value', 'varchar(64)')
          .addColumn('position', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('achievements_by_community').on('achievements').columns(['community_id', 'position']).execute();
        await db.schema
          .createTable('awards')
          .addColumn('seq', serial, autoId)
          .addColumn('id', 'varchar(64)', (c) => c.notNull().unique())
          .addColumn('achievement_id', 'varchar(64)', (c) => c.notNull().references('achievements.id'))
          .addColumn('recipient_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('community_id', 'varchar(64)', (c) => c.notNull().references('communities.id'))
          .addColumn('issued_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('valid_until', 'varchar(40)')
          .addColumn('evidence', 'text', (c) => c.notNull())
          .addColumn('awarded_by', 'varchar(128)', (c) => c.references('people.id'))
          .addColumn('revoked_at', 'varchar(40)')
          .addColumn('revocation_reason', 'varchar(1000)')
          .addColumn('credential', 'text', (c) => c.notNull())
          .addUniqueConstraint('awards_once_per_person', ['achievement_id', 'recipient_id'])
          .execute();
        await db.schema.createIndex('awards_by_recipient').on('awards').columns(['recipient_id', 'seq']).execute();
        await db.schema.createIndex('awards_by_community').on('awards').columns(['community_id', 'seq']).execute();
        await db.schema
          .createTable('signing_keys')
          .addColumn('kid', 'varchar(100)', (c) => c.primaryKey())
          .addColumn('private_jwk', 'text', (c) => c.notNull())
          .addColumn('public_jwk', 'text', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        // Counting a person's comments for a badge reads by author.
        await db.schema.createIndex('comments_by_author').on('comments').columns(['author_id', 'state']).execute();
      },
    },
    '0007-cards': {
      async up(db: Kysely<unknown>) {
        await db.schema
          .createTable('cards')
          .addColumn('id', serial, autoId)
          .addColumn('community_id', 'varchar(64)', (c) => c.notNull().references('communities.id'))
          .addColumn('status', 'varchar(10)', (c) => c.notNull())
          .addColumn('author_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('last_editor_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('title', 'varchar(200)', (c) => c.notNull())
          .addColumn('summary', 'varchar(500)', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('review_interval_days', 'integer')
          .addColumn('source_subject', 'varchar(512)')
          .addColumn('source_comment_id', serialRef)
          .addColumn('credited_id', 'varchar(128)', (c) => c.references('people.id'))
          .addColumn('verified_by', 'varchar(128)', (c) => c.references('people.id'))
          .addColumn('verified_at', 'varchar(40)')
          .addColumn('review_by', 'varchar(40)')
          .addColumn('flagged_by', 'varchar(128)', (c) => c.references('people.id'))
          .addColumn('flag_reason', 'varchar(1000)')
          .addColumn('flagged_at', 'varchar(40)')
          .addColumn('views', 'integer', (c) => c.notNull())
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('cards_by_community').on('cards').columns(['community_id', 'status', 'id']).execute();
        await db.schema.createIndex('cards_by_source').on('cards').columns(['source_subject']).execute();
        await db.schema
          .createTable('card_versions')
          .addColumn('card_id', serialRef, (c) => c.notNull().references('cards.id'))
          .addColumn('version', 'integer', (c) => c.notNull())
          .addColumn('title', 'varchar(200)', (c) => c.notNull())
          .addColumn('summary', 'varchar(500)', (c) => c.notNull())
          .addColumn('body', 'text', (c) => c.notNull())
          .addColumn('tags', 'text', (c) => c.notNull())
          .addColumn('editor_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .addPrimaryKeyConstraint('card_versions_pk', ['card_id', 'version'])
          .execute();
        await db.schema
          .createTable('card_experts')
          .addColumn('card_id', serialRef, (c) => c.notNull().references('cards.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addPrimaryKeyConstraint('card_experts_pk', ['card_id', 'person_id'])
          .execute();
        await db.schema
          .createTable('card_votes')
          .addColumn('card_id', serialRef, (c) => c.notNull().references('cards.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('helpful', 'integer', (c) => c.notNull())
          .addColumn('updated_at', 'varchar(40)', (c) => c.notNull())
          .addPrimaryKeyConstraint('card_votes_pk', ['card_id', 'person_id'])
          .execute();
        await db.schema
          .createTable('card_views')
          .addColumn('card_id', serialRef, (c) => c.notNull().references('cards.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('day', 'varchar(10)', (c) => c.notNull())
          .addPrimaryKeyConstraint('card_views_pk', ['card_id', 'person_id', 'day'])
          .execute();
        await db.schema
          .createTable('card_verifications')
          .addColumn('id', serial, autoId)
          .addColumn('card_id', serialRef, (c) => c.notNull().references('cards.id'))
          .addColumn('person_id', 'varchar(128)', (c) => c.notNull().references('people.id'))
          .addColumn('created_at', 'varchar(40)', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('card_verifications_by_person').on('card_verifications').columns(['person_id', 'card_id']).execute();
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
/** Statements kept for reuse; past this many distinct queries the cache starts over. */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew; SQLite's prepare is a third of the cost of a read. The same
 * SQL text reuses its prepared statement (the driver runs each one to completion synchronously, so
 * a statement is never busy when it is reused).
 */
function withStatementCache(database: SQLite.Database): SQLite.Database {
  const cache = new Map<string, SQLite.Statement>();
  const prepare = database.prepare.bind(database);
  database.prepare = ((sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      if (cache.size >= STATEMENT_CACHE_SIZE) cache.clear();
      statement = prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  }) as SQLite.Database['prepare'];
  return database;
}

export async function openSqlite(file: string): Promise<Kysely<Database>> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new SQLite(file);
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  await migrate(db, 'sqlite');
  return db;
}

/**
 * The server's clock. Everything that dates or expires anything reads it, so a test (or the demo's
 * "time passes" control) can move it forward without waiting: `clock.advance(days * 86_400_000)`.
 */
export const clock = {
  offsetMs: 0,
  nowMs(): number {
    return Date.now() + this.offsetMs;
  },
  advance(ms: number): void {
    this.offsetMs += ms;
  },
  reset(): void {
    this.offsetMs = 0;
  },
};

export function now(): string {
  return new Date(clock.nowMs()).toISOString();
}

/** `true` when an insert failed on a unique or primary-key constraint, on either database. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const code = 'code' in error ? error.code : undefined;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || code === '23505';
}

