/// The store's schema as numbered migrations. `PRAGMA user_version` records how many have run;
/// a migration never changes once released: new needs get a new migration.
///
/// Where later features plug in: IRC and webhook transports reuse `messages` (network ids,
/// reply-to, thread roots are already columns) and `transport_positions`; WordPress adds columns to
/// `drafts` for the remote modification date (edits people made must not be overwritten) and uses
/// `blog_outbox.not_before_ms` for scheduling; per-role grants get a `roles` table.
enum StoreSchema {
    /// `'tprs'`: marks a SQLite file as a threadpress store.
    static let applicationID: Int32 = 0x7470_7273

    static let migrations: [String] = [
        // 1: the channel log, drafts, both outboxes, comment cursors and the mirror ledger.
        """
        CREATE TABLE messages (
            sequence     INTEGER PRIMARY KEY,
            channel      TEXT NOT NULL,
            time_ms      INTEGER NOT NULL,
            nick         TEXT NOT NULL,
            account      TEXT,
            kind         TEXT NOT NULL,
            text         TEXT NOT NULL,
            network_id   TEXT,
            reply_to     TEXT,
            thread_root  TEXT
        );
        -- No index on channel: a bot watches one channel, and selections walk back from a
        -- sequence number along the primary key; an extra index costs a fifth of ingest speed.
        CREATE UNIQUE INDEX messages_by_network_id ON messages(channel, network_id) WHERE network_id IS NOT NULL;

        CREATE TABLE transport_positions (
            transport    TEXT PRIMARY KEY,
            position     TEXT NOT NULL,
            updated_ms   INTEGER NOT NULL
        );

        CREATE TABLE drafts (
            number              INTEGER PRIMARY KEY AUTOINCREMENT,
            key                 TEXT NOT NULL UNIQUE,
            channel             TEXT NOT NULL,
            title               TEXT NOT NULL,
            state               TEXT NOT NULL CHECK (state IN ('open', 'publishing', 'published', 'rejected')),
            promoter_nick       TEXT NOT NULL,
            promoter_account    TEXT,
            promoter_principal  TEXT,
            command_sequence    INTEGER NOT NULL UNIQUE REFERENCES messages(sequence),
            authors             TEXT NOT NULL,
            created_ms          INTEGER NOT NULL,
            updated_ms          INTEGER NOT NULL,
            engine              TEXT,
            remote_id           TEXT,
            location            TEXT,
            slug                TEXT,
            remote_status       TEXT,
            published_ms        INTEGER
        );

        CREATE TABLE draft_lines (
            draft_number      INTEGER NOT NULL REFERENCES drafts(number),
            position          INTEGER NOT NULL,
            message_sequence  INTEGER NOT NULL REFERENCES messages(sequence),
            PRIMARY KEY (draft_number, position)
        ) WITHOUT ROWID;

        CREATE TABLE blog_outbox (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            draft_number   INTEGER NOT NULL REFERENCES drafts(number),
            operation      TEXT NOT NULL CHECK (operation IN ('create', 'publish', 'discard')),
            state          TEXT NOT NULL CHECK (state IN ('pending', 'done', 'failed')),
            requested_by   TEXT NOT NULL,
            attempts       INTEGER NOT NULL DEFAULT 0,
            last_error     TEXT,
            not_before_ms  INTEGER NOT NULL DEFAULT 0,
            created_ms     INTEGER NOT NULL,
            finished_ms    INTEGER
        );
        CREATE INDEX blog_outbox_pending ON blog_outbox(state, id);

        CREATE TABLE chat_outbox (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            channel      TEXT NOT NULL,
            text         TEXT NOT NULL,
            in_reply_to  TEXT,
            thread_root  TEXT,
            state        TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent')),
            created_ms   INTEGER NOT NULL,
            sent_ms      INTEGER
        );
        CREATE INDEX chat_outbox_pending ON chat_outbox(state, id);

        CREATE TABLE comment_cursors (
            engine     TEXT NOT NULL,
            remote_id  TEXT NOT NULL,
            cursor     TEXT,
            PRIMARY KEY (engine, remote_id)
        ) WITHOUT ROWID;

        CREATE TABLE mirrored_comments (
            engine        TEXT NOT NULL,
            comment_id    TEXT NOT NULL,
            draft_number  INTEGER NOT NULL REFERENCES drafts(number),
            author        TEXT NOT NULL,
            kind          TEXT NOT NULL,
            mirrored_ms   INTEGER NOT NULL,
            PRIMARY KEY (draft_number, comment_id)
        ) WITHOUT ROWID;
        """,
        // 2: a site-wide comment ledger that also remembers held comments (so a comment approved
        // days later is still announced once, whatever the engine's cursor did); reply priorities
        // and per-line delivery (a split reply is sent at most once per line); the remote edit
        // stamp of drafts; an index that keeps the next-operation query flat as the outbox grows.
        """
        CREATE TABLE comment_ledger (
            post_id        TEXT NOT NULL,
            comment_id     TEXT NOT NULL,
            draft_number   INTEGER REFERENCES drafts(number),
            state          TEXT NOT NULL,
            author         TEXT NOT NULL,
            kind           TEXT NOT NULL,
            first_seen_ms  INTEGER NOT NULL,
            announced_ms   INTEGER,
            PRIMARY KEY (post_id, comment_id)
        ) WITHOUT ROWID;
        CREATE INDEX comment_ledger_held ON comment_ledger(state) WHERE state = 'held';
        INSERT OR IGNORE INTO comment_ledger
            (post_id, comment_id, draft_number, state, author, kind, first_seen_ms, announced_ms)
            SELECT d.remote_id, m.comment_id, m.draft_number, 'announced', m.author, m.kind, m.mirrored_ms, m.mirrored_ms
            FROM mirrored_comments m JOIN drafts d ON d.number = m.draft_number WHERE d.remote_id IS NOT NULL;
        DROP TABLE mirrored_comments;

        ALTER TABLE chat_outbox ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
        DROP INDEX chat_outbox_pending;
        CREATE INDEX chat_outbox_pending ON chat_outbox(state, priority, id);
        CREATE TABLE chat_outbox_lines (
            reply_id  INTEGER NOT NULL REFERENCES chat_outbox(id),
            position  INTEGER NOT NULL,
            text      TEXT NOT NULL,
            state     TEXT NOT NULL,
            sent_ms   INTEGER,
            PRIMARY KEY (reply_id, position)
        ) WITHOUT ROWID;

        ALTER TABLE drafts ADD COLUMN edit_location TEXT;
        ALTER TABLE drafts ADD COLUMN remote_modified TEXT;
        -- Tags named in the command (`+tag`), a JSON array; the configured tags are added at publish.
        ALTER TABLE drafts ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';

        CREATE INDEX blog_outbox_by_draft ON blog_outbox(draft_number, state, id);

        ALTER TABLE messages ADD COLUMN own INTEGER NOT NULL DEFAULT 0;

        -- Moderation and replies asked for from chat (`!comment`, `!reply`), queued like blog operations.
        CREATE TABLE comment_actions (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            comment_id     TEXT NOT NULL,
            action         TEXT NOT NULL,
            text           TEXT,
            channel        TEXT NOT NULL,
            requested_by   TEXT NOT NULL,
            state          TEXT NOT NULL,
            attempts       INTEGER NOT NULL DEFAULT 0,
            last_error     TEXT,
            not_before_ms  INTEGER NOT NULL DEFAULT 0,
            created_ms     INTEGER NOT NULL,
            finished_ms    INTEGER
        );
        CREATE INDEX comment_actions_pending ON comment_actions(state, id);
        -- Set when an operation first reaches the engine: a later attempt asks the engine whether
        -- the earlier one already made the post (its answer may have been lost in a crash).
        ALTER TABLE blog_outbox ADD COLUMN started_ms INTEGER;
        -- A publish scheduled for later (`!approve N at …`); NULL publishes when approved.
        ALTER TABLE blog_outbox ADD COLUMN publish_at_ms INTEGER;
        """,
        // 3: the draft workflow in depth. `drafts` and `blog_outbox` are rebuilt without migration
        // 1's CHECK constraints (states and operations are checked in code, so a new one needs no
        // rebuild); the store runs migrations with foreign keys off and checks them before commit.
        // Messages get per-channel references; drafts an intro, a consent override and a flag for
        // posts a person edited on the blog; quoted people's answers, opt-outs and roles given in
        // chat get tables; replies can go to one person.
        """
        CREATE TABLE drafts_rebuilt (
            number              INTEGER PRIMARY KEY AUTOINCREMENT,
            key                 TEXT NOT NULL UNIQUE,
            channel             TEXT NOT NULL,
            title               TEXT NOT NULL,
            state               TEXT NOT NULL,
            promoter_nick       TEXT NOT NULL,
            promoter_account    TEXT,
            promoter_principal  TEXT,
            command_sequence    INTEGER NOT NULL UNIQUE REFERENCES messages(sequence),
            authors             TEXT NOT NULL,
            created_ms          INTEGER NOT NULL,
            updated_ms          INTEGER NOT NULL,
            engine              TEXT,
            remote_id           TEXT,
            location            TEXT,
            slug                TEXT,
            remote_status       TEXT,
            published_ms        INTEGER,
            edit_location       TEXT,
            remote_modified     TEXT,
            tags                TEXT NOT NULL DEFAULT '[]',
            intro               TEXT,
            override_by         TEXT,
            override_reason     TEXT,
            override_ms         INTEGER,
            edited_on_blog      INTEGER NOT NULL DEFAULT 0
        );
        INSERT INTO drafts_rebuilt (number, key, channel, title, state, promoter_nick, promoter_account,
            promoter_principal, command_sequence, authors, created_ms, updated_ms, engine, remote_id, location, slug,
            remote_status, published_ms, edit_location, remote_modified, tags)
            SELECT number, key, channel, title, state, promoter_nick, promoter_account, promoter_principal,
                command_sequence, authors, created_ms, updated_ms, engine, remote_id, location, slug, remote_status,
                published_ms, edit_location, remote_modified, tags FROM drafts;
        DROP TABLE drafts;
        ALTER TABLE drafts_rebuilt RENAME TO drafts;

        CREATE TABLE blog_outbox_rebuilt (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            draft_number   INTEGER NOT NULL REFERENCES drafts(number),
            operation      TEXT NOT NULL,
            state          TEXT NOT NULL,
            requested_by   TEXT NOT NULL,
            attempts       INTEGER NOT NULL DEFAULT 0,
            last_error     TEXT,
            not_before_ms  INTEGER NOT NULL DEFAULT 0,
            created_ms     INTEGER NOT NULL,
            finished_ms    INTEGER,
            started_ms     INTEGER,
            publish_at_ms  INTEGER
        );
        INSERT INTO blog_outbox_rebuilt SELECT id, draft_number, operation, state, requested_by, attempts, last_error,
            not_before_ms, created_ms, finished_ms, started_ms, publish_at_ms FROM blog_outbox;
        DROP TABLE blog_outbox;
        ALTER TABLE blog_outbox_rebuilt RENAME TO blog_outbox;
        CREATE INDEX blog_outbox_pending ON blog_outbox(state, id);
        CREATE INDEX blog_outbox_by_draft ON blog_outbox(draft_number, state, id);

        ALTER TABLE messages ADD COLUMN ref INTEGER;
        UPDATE messages SET ref = numbered.n
            FROM (SELECT sequence, row_number() OVER (PARTITION BY channel ORDER BY sequence) AS n FROM messages) AS numbered
            WHERE numbered.sequence = messages.sequence;
        -- Resolves a typed reference, and gives the next one (max + 1) in one index step.
        CREATE UNIQUE INDEX messages_by_ref ON messages(channel, ref);

        ALTER TABLE chat_outbox ADD COLUMN recipient TEXT;

        CREATE TABLE draft_consent (
            draft_number  INTEGER NOT NULL REFERENCES drafts(number),
            principal     TEXT NOT NULL,
            nick          TEXT NOT NULL,
            answer        TEXT NOT NULL,
            answered_ms   INTEGER NOT NULL,
            PRIMARY KEY (draft_number, principal)
        ) WITHOUT ROWID;

        CREATE TABLE opt_outs (
            principal  TEXT PRIMARY KEY,
            nick       TEXT NOT NULL,
            since_ms   INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE role_grants (
            principal   TEXT NOT NULL,
            role        TEXT NOT NULL,
            granted_by  TEXT NOT NULL,
            granted_ms  INTEGER NOT NULL,
            PRIMARY KEY (principal, role)
        ) WITHOUT ROWID;
        """,
    ]

    /// The schema every migration above leads to, created in one step for a new, empty store: a
    /// fresh store does not replay the history (migration 3 rebuilds tables), which keeps the
    /// parts of SQLite that only migrations use out of a new bot's memory. A test checks that this
    /// and the migrations give the same tables, columns, keys and indexes; change both together.
    static let current = """
        CREATE TABLE messages (
            sequence     INTEGER PRIMARY KEY,
            channel      TEXT NOT NULL,
            time_ms      INTEGER NOT NULL,
            nick         TEXT NOT NULL,
            account      TEXT,
            kind         TEXT NOT NULL,
            text         TEXT NOT NULL,
            network_id   TEXT,
            reply_to     TEXT,
            thread_root  TEXT,
            own          INTEGER NOT NULL DEFAULT 0,
            ref          INTEGER
        );
        CREATE UNIQUE INDEX messages_by_network_id ON messages(channel, network_id) WHERE network_id IS NOT NULL;
        CREATE UNIQUE INDEX messages_by_ref ON messages(channel, ref);

        CREATE TABLE transport_positions (
            transport    TEXT PRIMARY KEY,
            position     TEXT NOT NULL,
            updated_ms   INTEGER NOT NULL
        );

        CREATE TABLE drafts (
            number              INTEGER PRIMARY KEY AUTOINCREMENT,
            key                 TEXT NOT NULL UNIQUE,
            channel             TEXT NOT NULL,
            title               TEXT NOT NULL,
            state               TEXT NOT NULL,
            promoter_nick       TEXT NOT NULL,
            promoter_account    TEXT,
            promoter_principal  TEXT,
            command_sequence    INTEGER NOT NULL UNIQUE REFERENCES messages(sequence),
            authors             TEXT NOT NULL,
            created_ms          INTEGER NOT NULL,
            updated_ms          INTEGER NOT NULL,
            engine              TEXT,
            remote_id           TEXT,
            location            TEXT,
            slug                TEXT,
            remote_status       TEXT,
            published_ms        INTEGER,
            edit_location       TEXT,
            remote_modified     TEXT,
            tags                TEXT NOT NULL DEFAULT '[]',
            intro               TEXT,
            override_by         TEXT,
            override_reason     TEXT,
            override_ms         INTEGER,
            edited_on_blog      INTEGER NOT NULL DEFAULT 0
        );

        CREATE TABLE draft_lines (
            draft_number      INTEGER NOT NULL REFERENCES drafts(number),
            position          INTEGER NOT NULL,
            message_sequence  INTEGER NOT NULL REFERENCES messages(sequence),
            PRIMARY KEY (draft_number, position)
        ) WITHOUT ROWID;

        CREATE TABLE blog_outbox (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            draft_number   INTEGER NOT NULL REFERENCES drafts(number),
            operation      TEXT NOT NULL,
            state          TEXT NOT NULL,
            requested_by   TEXT NOT NULL,
            attempts       INTEGER NOT NULL DEFAULT 0,
            last_error     TEXT,
            not_before_ms  INTEGER NOT NULL DEFAULT 0,
            created_ms     INTEGER NOT NULL,
            finished_ms    INTEGER,
            started_ms     INTEGER,
            publish_at_ms  INTEGER
        );
        CREATE INDEX blog_outbox_pending ON blog_outbox(state, id);
        CREATE INDEX blog_outbox_by_draft ON blog_outbox(draft_number, state, id);

        CREATE TABLE chat_outbox (
            id           INTEGER PRIMARY KEY AUTOINCREMENT,
            channel      TEXT NOT NULL,
            text         TEXT NOT NULL,
            in_reply_to  TEXT,
            thread_root  TEXT,
            state        TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent')),
            created_ms   INTEGER NOT NULL,
            sent_ms      INTEGER,
            priority     INTEGER NOT NULL DEFAULT 0,
            recipient    TEXT
        );
        CREATE INDEX chat_outbox_pending ON chat_outbox(state, priority, id);
        CREATE TABLE chat_outbox_lines (
            reply_id  INTEGER NOT NULL REFERENCES chat_outbox(id),
            position  INTEGER NOT NULL,
            text      TEXT NOT NULL,
            state     TEXT NOT NULL,
            sent_ms   INTEGER,
            PRIMARY KEY (reply_id, position)
        ) WITHOUT ROWID;

        CREATE TABLE comment_cursors (
            engine     TEXT NOT NULL,
            remote_id  TEXT NOT NULL,
            cursor     TEXT,
            PRIMARY KEY (engine, remote_id)
        ) WITHOUT ROWID;

        CREATE TABLE comment_ledger (
            post_id        TEXT NOT NULL,
            comment_id     TEXT NOT NULL,
            draft_number   INTEGER REFERENCES drafts(number),
            state          TEXT NOT NULL,
            author         TEXT NOT NULL,
            kind           TEXT NOT NULL,
            first_seen_ms  INTEGER NOT NULL,
            announced_ms   INTEGER,
            PRIMARY KEY (post_id, comment_id)
        ) WITHOUT ROWID;
        CREATE INDEX comment_ledger_held ON comment_ledger(state) WHERE state = 'held';

        CREATE TABLE comment_actions (
            id             INTEGER PRIMARY KEY AUTOINCREMENT,
            comment_id     TEXT NOT NULL,
            action         TEXT NOT NULL,
            text           TEXT,
            channel        TEXT NOT NULL,
            requested_by   TEXT NOT NULL,
            state          TEXT NOT NULL,
            attempts       INTEGER NOT NULL DEFAULT 0,
            last_error     TEXT,
            not_before_ms  INTEGER NOT NULL DEFAULT 0,
            created_ms     INTEGER NOT NULL,
            finished_ms    INTEGER
        );
        CREATE INDEX comment_actions_pending ON comment_actions(state, id);

        CREATE TABLE draft_consent (
            draft_number  INTEGER NOT NULL REFERENCES drafts(number),
            principal     TEXT NOT NULL,
            nick          TEXT NOT NULL,
            answer        TEXT NOT NULL,
            answered_ms   INTEGER NOT NULL,
            PRIMARY KEY (draft_number, principal)
        ) WITHOUT ROWID;

        CREATE TABLE opt_outs (
            principal  TEXT PRIMARY KEY,
            nick       TEXT NOT NULL,
            since_ms   INTEGER NOT NULL
        ) WITHOUT ROWID;

        CREATE TABLE role_grants (
            principal   TEXT NOT NULL,
            role        TEXT NOT NULL,
            granted_by  TEXT NOT NULL,
            granted_ms  INTEGER NOT NULL,
            PRIMARY KEY (principal, role)
        ) WITHOUT ROWID;
        """
}