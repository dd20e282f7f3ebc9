//! Practice threads (posts, topics, helpful marks, read positions, follows),
//! the glossary, notifications about threads, and the full-text indexes:
//! SQLite FTS5 tables kept by triggers, PostgreSQL generated `tsvector`
//! columns with GIN indexes. Either way the index is updated by the database
//! in the same transaction as the row, so edits and deletes can never leave
//! it stale.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

use crate::columns::{
    fk, flag, id, optional_reference, optional_text, optional_timestamp, reference, slug, text,
    timestamp,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organisations {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Threads {
    Table,
    Id,
    Title,
    AuthorId,
    OrganisationId,
    /// `NULL`: all members; otherwise only this co-operative's members.
    CoopId,
    /// JSON array of activity-type slugs.
    ActivityTypes,
    CreatedAt,
    LastActivityAt,
    Pinned,
    Locked,
    Closed,
    AnswerPostId,
    DeletedAt,
}

#[derive(DeriveIden)]
enum ThreadTopics {
    Table,
    ThreadId,
    Topic,
}

#[derive(DeriveIden)]
enum Posts {
    Table,
    Id,
    ThreadId,
    AuthorId,
    OrganisationId,
    /// Markdown source.
    Body,
    /// The text a reader sees, for search, snippets and quotes.
    Plain,
    /// The thread's title on its opening post (so titles are searched), else empty.
    SearchTitle,
    QuotePostId,
    Opening,
    HelpfulCount,
    CreatedAt,
    EditedAt,
    DeletedAt,
}

#[derive(DeriveIden)]
enum HelpfulMarks {
    Table,
    PostId,
    UserId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ThreadReads {
    Table,
    ThreadId,
    UserId,
    LastReadPostId,
}

#[derive(DeriveIden)]
enum ThreadFollows {
    Table,
    ThreadId,
    UserId,
}

#[derive(DeriveIden)]
enum TopicFollows {
    Table,
    UserId,
    Topic,
}

#[derive(DeriveIden)]
enum GlossaryTerms {
    Table,
    Id,
    Term,
    /// Lower-cased term, unique among terms not declined.
    TermKey,
    /// JSON array of strings.
    Aliases,
    Definition,
    Status,
    SuggestedBy,
    DecidedBy,
    DecisionReason,
    CreatedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    ThreadId,
    PostId,
}

use ForeignKeyAction::{Cascade, SetNull};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Threads::Table)
                    .col(id(Threads::Id))
                    .col(text(Threads::Title))
                    .col(reference(Threads::AuthorId))
                    .col(optional_reference(Threads::OrganisationId))
                    .col(optional_reference(Threads::CoopId))
                    .col(text(Threads::ActivityTypes))
                    .col(timestamp(Threads::CreatedAt))
                    .col(timestamp(Threads::LastActivityAt))
                    .col(flag(Threads::Pinned, false))
                    .col(flag(Threads::Locked, false))
                    .col(flag(Threads::Closed, false))
                    .col(optional_reference(Threads::AnswerPostId))
                    .col(optional_timestamp(Threads::DeletedAt))
                    .foreign_key(&mut fk(
                        Threads::Table,
                        Threads::AuthorId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Threads::Table,
                        Threads::OrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("threads_last_activity_idx")
                    .table(Threads::Table)
                    .col(Threads::LastActivityAt)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ThreadTopics::Table)
                    .col(reference(ThreadTopics::ThreadId))
                    .col(slug(ThreadTopics::Topic))
                    .primary_key(
                        Index::create()
                            .col(ThreadTopics::ThreadId)
                            .col(ThreadTopics::Topic),
                    )
                    .foreign_key(&mut fk(
                        ThreadTopics::Table,
                        ThreadTopics::ThreadId,
                        Threads::Table,
                        Threads::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("thread_topics_topic_idx")
                    .table(ThreadTopics::Table)
                    .col(ThreadTopics::Topic)
                    .col(ThreadTopics::ThreadId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Posts::Table)
                    .col(id(Posts::Id))
                    .col(reference(Posts::ThreadId))
                    .col(reference(Posts::AuthorId))
                    .col(optional_reference(Posts::OrganisationId))
                    .col(text(Posts::Body))
                    .col(text(Posts::Plain))
                    .col(text(Posts::SearchTitle))
                    .col(optional_reference(Posts::QuotePostId))
                    .col(flag(Posts::Opening, false))
                    .col(
                        ColumnDef::new(Posts::HelpfulCount)
                            .big_integer()
                            .not_null()
                            .default(0),
                    )
                    .col(timestamp(Posts::CreatedAt))
                    .col(optional_timestamp(Posts::EditedAt))
                    .col(optional_timestamp(Posts::DeletedAt))
                    .foreign_key(&mut fk(
                        Posts::Table,
                        Posts::ThreadId,
                        Threads::Table,
                        Threads::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Posts::Table,
                        Posts::AuthorId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        Posts::Table,
                        Posts::OrganisationId,
                        Organisations::Table,
                        Organisations::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("posts_thread_id_idx")
                    .table(Posts::Table)
                    .col(Posts::ThreadId)
                    .col(Posts::Id)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(HelpfulMarks::Table)
                    .col(reference(HelpfulMarks::PostId))
                    .col(reference(HelpfulMarks::UserId))
                    .col(timestamp(HelpfulMarks::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(HelpfulMarks::PostId)
                            .col(HelpfulMarks::UserId),
                    )
                    .foreign_key(&mut fk(
                        HelpfulMarks::Table,
                        HelpfulMarks::PostId,
                        Posts::Table,
                        Posts::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        HelpfulMarks::Table,
                        HelpfulMarks::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ThreadReads::Table)
                    .col(reference(ThreadReads::ThreadId))
                    .col(reference(ThreadReads::UserId))
                    .col(reference(ThreadReads::LastReadPostId))
                    .primary_key(
                        Index::create()
                            .col(ThreadReads::UserId)
                            .col(ThreadReads::ThreadId),
                    )
                    .foreign_key(&mut fk(
                        ThreadReads::Table,
                        ThreadReads::ThreadId,
                        Threads::Table,
                        Threads::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ThreadReads::Table,
                        ThreadReads::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ThreadFollows::Table)
                    .col(reference(ThreadFollows::ThreadId))
                    .col(reference(ThreadFollows::UserId))
                    .primary_key(
                        Index::create()
                            .col(ThreadFollows::ThreadId)
                            .col(ThreadFollows::UserId),
                    )
                    .foreign_key(&mut fk(
                        ThreadFollows::Table,
                        ThreadFollows::ThreadId,
                        Threads::Table,
                        Threads::Id,
                        Cascade,
                    ))
                    .foreign_key(&mut fk(
                        ThreadFollows::Table,
                        ThreadFollows::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(TopicFollows::Table)
                    .col(reference(TopicFollows::UserId))
                    .col(slug(TopicFollows::Topic))
                    .primary_key(
                        Index::create()
                            .col(TopicFollows::Topic)
                            .col(TopicFollows::UserId),
                    )
                    .foreign_key(&mut fk(
                        TopicFollows::Table,
                        TopicFollows::UserId,
                        Users::Table,
                        Users::Id,
                        Cascade,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(GlossaryTerms::Table)
                    .col(id(GlossaryTerms::Id))
                    .col(text(GlossaryTerms::Term))
                    .col(text(GlossaryTerms::TermKey))
                    .col(text(GlossaryTerms::Aliases))
                    .col(text(GlossaryTerms::Definition))
                    .col(slug(GlossaryTerms::Status))
                    .col(optional_reference(GlossaryTerms::SuggestedBy))
                    .col(optional_reference(GlossaryTerms::DecidedBy))
                    .col(optional_text(GlossaryTerms::DecisionReason))
                    .col(timestamp(GlossaryTerms::CreatedAt))
                    .col(optional_timestamp(GlossaryTerms::DecidedAt))
                    .foreign_key(&mut fk(
                        GlossaryTerms::Table,
                        GlossaryTerms::SuggestedBy,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .foreign_key(&mut fk(
                        GlossaryTerms::Table,
                        GlossaryTerms::DecidedBy,
                        Users::Table,
                        Users::Id,
                        SetNull,
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Table)
                    .add_column(optional_reference(Notifications::ThreadId))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Notifications::Table)
                    .add_column(optional_reference(Notifications::PostId))
                    .to_owned(),
            )
            .await?;

        let script = match manager.get_database_backend() {
            DbBackend::Postgres => POSTGRES_SEARCH,
            _ => SQLITE_SEARCH,
        };
        manager.get_connection().execute_unprepared(script).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let script = match manager.get_database_backend() {
            DbBackend::Postgres => {
                "DROP INDEX IF EXISTS messages_search_idx; \
                 ALTER TABLE messages DROP COLUMN IF EXISTS search;"
            }
            _ => {
                "DROP TRIGGER IF EXISTS messages_fts_ai; DROP TRIGGER IF EXISTS messages_fts_ad; \
                 DROP TRIGGER IF EXISTS messages_fts_au; DROP TABLE IF EXISTS messages_fts; \
                 DROP TABLE IF EXISTS posts_fts;"
            }
        };
        manager.get_connection().execute_unprepared(script).await?;
        for col in [Notifications::ThreadId, Notifications::PostId] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Notifications::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        for table in [
            GlossaryTerms::Table.into_iden(),
            TopicFollows::Table.into_iden(),
            ThreadFollows::Table.into_iden(),
            ThreadReads::Table.into_iden(),
            HelpfulMarks::Table.into_iden(),
            Posts::Table.into_iden(),
            ThreadTopics::Table.into_iden(),
            Threads::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

/// FTS5 tables over the rows' own text (external content), kept in step by
/// triggers; `porter` stems English words as PostgreSQL's `english` does.
/// Existing messages are indexed by `rebuild`.
const SQLITE_SEARCH: &str = "
CREATE VIRTUAL TABLE posts_fts USING fts5(
    search_title, plain, content='posts', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER posts_fts_ai AFTER INSERT ON posts BEGIN
    INSERT INTO posts_fts(rowid, search_title, plain) VALUES (new.id, new.search_title, new.plain);
END;
CREATE TRIGGER posts_fts_ad AFTER DELETE ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, search_title, plain)
        VALUES ('delete', old.id, old.search_title, old.plain);
END;
CREATE TRIGGER posts_fts_au AFTER UPDATE OF search_title, plain ON posts BEGIN
    INSERT INTO posts_fts(posts_fts, rowid, search_title, plain)
        VALUES ('delete', old.id, old.search_title, old.plain);
    INSERT INTO posts_fts(rowid, search_title, plain) VALUES (new.id, new.search_title, new.plain);
END;
CREATE VIRTUAL TABLE messages_fts USING fts5(
    body, content='messages', content_rowid='id',
    tokenize='porter unicode61 remove_diacritics 2');
CREATE TRIGGER messages_fts_ai AFTER INSERT ON messages BEGIN
    INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER messages_fts_ad AFTER DELETE ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;
CREATE TRIGGER messages_fts_au AFTER UPDATE OF body ON messages BEGIN
    INSERT INTO messages_fts(messages_fts, rowid, body) VALUES ('delete', old.id, old.body);
    INSERT INTO messages_fts(rowid, body) VALUES (new.id, new.body);
END;
INSERT INTO messages_fts(messages_fts) VALUES ('rebuild');
";

/// Generated `tsvector` columns (English configuration; titles weigh more
/// than bodies) with GIN indexes: PostgreSQL recomputes them on every write.
const POSTGRES_SEARCH: &str = "
ALTER TABLE posts ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', search_title), 'A') ||
    setweight(to_tsvector('english', plain), 'B')) STORED;
CREATE INDEX posts_search_idx ON posts USING GIN (search);
ALTER TABLE messages ADD COLUMN search tsvector GENERATED ALWAYS AS (
    to_tsvector('english', body)) STORED;
CREATE INDEX messages_search_idx ON messages USING GIN (search);
";
