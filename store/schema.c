/*
 * schema.c: the tables, and the migrations that bring an older database
 * up to date. Each migration is SQL run inside the one transaction that
 * store_open wraps around all of them, so an upgrade is all or nothing.
 */
#include <stdio.h>

#include "store/internal.h"

/*
 * Version 1. Comments here are the schema's documentation (README
 * section `store` follows them).
 */
static const char schema_v1[] =
    /* Feeds and their fetch state (struct feed_state). */
    "CREATE TABLE feeds ("
    " id INTEGER PRIMARY KEY,"
    " url TEXT NOT NULL UNIQUE,"
    " title TEXT, etag TEXT, last_modified TEXT,"
    " last_fetch INTEGER NOT NULL DEFAULT 0,"
    " last_status INTEGER NOT NULL DEFAULT 0,"
    " last_error TEXT,"
    " failures INTEGER NOT NULL DEFAULT 0,"
    " next_fetch INTEGER NOT NULL DEFAULT 0);"
    /*
     * Articles with the text deals were extracted from. canon_url and guid
     * identify an article; copy_of marks a syndicated copy (near-duplicate
     * text) of an earlier article, which holds the mentions. sketch is
     * the MinHash sketch of the text (STORE_MINHASH 32-bit values, little
     * endian); article_bands indexes its bands, so that a near duplicate
     * is found by looking its bands up.
     */
    "CREATE TABLE articles ("
    " id INTEGER PRIMARY KEY,"
    " feed_id INTEGER REFERENCES feeds(id) ON DELETE SET NULL,"
    " url TEXT, canon_url TEXT UNIQUE, guid TEXT UNIQUE,"
    " title TEXT, published TEXT,"
    " text TEXT NOT NULL,"
    " sketch BLOB NOT NULL, words INTEGER NOT NULL,"
    " copy_of INTEGER REFERENCES articles(id),"
    " stored TEXT NOT NULL);"
    "CREATE TABLE article_bands ("
    " band INTEGER NOT NULL,"
    " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " PRIMARY KEY (band, article_id)) WITHOUT ROWID;"
    "CREATE INDEX articles_copy ON articles(copy_of) WHERE copy_of IS NOT NULL;"
    "CREATE INDEX articles_published ON articles(published);"
    /*
     * Deals: one row per real deal. gkey is the group key (type and
     * folded party names by role) that merging clusters by. The figures
     * are the ones most sources give. merged_into is set when `deal
     * merge` folded this deal into another; rejected by `deal reject`.
     * updated is wall-clock time, for --updated-since only.
     */
    "CREATE TABLE deals ("
    " id INTEGER PRIMARY KEY AUTOINCREMENT,"
    " gkey TEXT NOT NULL, type INTEGER NOT NULL,"
    " status INTEGER, date TEXT, date_text TEXT,"
    " amount REAL, amount_low REAL, amount_high REAL,"
    " amount_currency TEXT, amount_qualifier INTEGER, amount_text TEXT,"
    " stake REAL, stake_text TEXT,"
    " valuation REAL, valuation_low REAL, valuation_high REAL,"
    " valuation_currency TEXT, valuation_qualifier INTEGER,"
    " valuation_text TEXT,"
    " sources INTEGER NOT NULL DEFAULT 0,"
    " first_published TEXT,"
    " rejected INTEGER NOT NULL DEFAULT 0,"
    " merged_into INTEGER REFERENCES deals(id),"
    " updated TEXT NOT NULL);"
    "CREATE INDEX deals_gkey ON deals(gkey);"
    "CREATE INDEX deals_updated ON deals(updated);"
    /* The parties of each deal in their roles, in order. */
    "CREATE TABLE deal_parties ("
    " deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,"
    " pos INTEGER NOT NULL, role INTEGER NOT NULL,"
    " name TEXT NOT NULL, name_key TEXT NOT NULL,"
    " PRIMARY KEY (deal_id, pos)) WITHOUT ROWID;"
    "CREATE INDEX deal_parties_name ON deal_parties(name_key);"
    /*
     * Mentions: what one article said about one deal: its values, the
     * text of each figure and the evidence offsets ("start-end,...",
     * bytes into the article's text). pin is the deal `deal merge` tied
     * the mention to.
     */
    "CREATE TABLE mentions ("
    " id INTEGER PRIMARY KEY,"
    " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " deal_id INTEGER REFERENCES deals(id),"
    " pin INTEGER REFERENCES deals(id),"
    " gkey TEXT NOT NULL, type INTEGER NOT NULL, parties TEXT NOT NULL,"
    " status INTEGER NOT NULL, date TEXT, date_text TEXT,"
    " amount REAL, amount_low REAL, amount_high REAL,"
    " amount_currency TEXT, amount_qualifier INTEGER, amount_text TEXT,"
    " stake REAL, stake_text TEXT,"
    " valuation REAL, valuation_low REAL, valuation_high REAL,"
    " valuation_currency TEXT, valuation_qualifier INTEGER,"
    " valuation_text TEXT,"
    " evidence TEXT NOT NULL);"
    "CREATE INDEX mentions_gkey ON mentions(gkey);"
    "CREATE INDEX mentions_deal ON mentions(deal_id);"
    "CREATE INDEX mentions_article ON mentions(article_id);"
    /*
     * Status history: each status a deal reached, dated by the earliest
     * publication date of an article reporting it (NULL when unknown).
     */
    "CREATE TABLE history ("
    " deal_id INTEGER NOT NULL REFERENCES deals(id) ON DELETE CASCADE,"
    " status INTEGER NOT NULL, date TEXT,"
    " PRIMARY KEY (deal_id, status)) WITHOUT ROWID;";

/*
 * Version 2: storing costs a crawl a fraction of what it did. Sketches
 * are made with one multiply a hash function (store_sketch), and so are
 * computed again from the stored texts. They move to article_sketches, a
 * table of small rows that stays in the page cache, since every article
 * reads the sketches of the articles sharing one of its bands. The bands
 * are 8 of 4 values as 32-bit numbers instead of 16, so an article writes
 * half as many random index entries. Neither table has a foreign key to
 * articles (checking one costs a look-up per row; articles are never
 * deleted, and a stray row would only name an article that is not there).
 */
static const char schema_v2[] =
    "DROP TABLE article_bands;"
    "ALTER TABLE articles DROP COLUMN sketch;"
    "ALTER TABLE articles DROP COLUMN words;"
    /* The MinHash sketch of each article's text: STORE_MINHASH 32-bit
     * values, little endian, and the text's length in words. */
    "CREATE TABLE article_sketches ("
    " article_id INTEGER PRIMARY KEY,"
    " words INTEGER NOT NULL,"
    " sketch BLOB NOT NULL);"
    /* Its bands (STORE_MINHASH_BANDS hashes of STORE_MINHASH_BAND_ROWS
     * values each): articles sharing a band are candidate copies. */
    "CREATE TABLE article_bands ("
    " band INTEGER NOT NULL,"
    " article_id INTEGER NOT NULL,"
    " PRIMARY KEY (band, article_id)) WITHOUT ROWID;";

/*
 * Version 3: near duplicates are looked up in memory (near.c), in the
 * sketches of the most recent articles, read from article_sketches once
 * a run; the bands are no longer written, which were most of the pages
 * a crawl's commits wrote. articles_published goes too: no query used
 * it (reextract's "published >= ?1 unless NULL" scans), and every
 * article wrote an entry.
 */
static const char schema_v3[] = "DROP TABLE article_bands;"
                                "DROP INDEX IF EXISTS articles_published;";

/*
 * Version 4: a new deal writes one row and an index entry a party
 * instead of four rows and five index entries (a third of what storing
 * an article cost). A deal's parties (encoded like a mention's:
 * "role:len:name;" in order) and its status history ("status=date;"
 * by status, the date empty when unknown) are columns of its row; the
 * case-folded party names are the keys of deal_names, which `--party`
 * looks up. deals_updated goes: --updated-since filters the listing,
 * which reads every deal anyway, and every new deal wrote an entry.
 */
static const char schema_v4[] =
    "ALTER TABLE deals ADD COLUMN parties TEXT NOT NULL DEFAULT '';"
    "ALTER TABLE deals ADD COLUMN history TEXT NOT NULL DEFAULT '';"
    /* The folded names of each deal's parties (store__name_key). */
    "CREATE TABLE deal_names ("
    " name_key TEXT NOT NULL,"
    " deal_id INTEGER NOT NULL,"
    " PRIMARY KEY (name_key, deal_id)) WITHOUT ROWID;"
    "DROP INDEX IF EXISTS deals_updated;"
    /* Groups are looked up by a number (store__gkey_hash) and then their
     * key: the two indexes are a fifth of the text ones' size, and a
     * commit writes as many fewer pages of them. */
    "ALTER TABLE mentions ADD COLUMN gh INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE deals ADD COLUMN gh INTEGER NOT NULL DEFAULT 0;"
    "DROP INDEX mentions_gkey;"
    "DROP INDEX deals_gkey;";

/* Version 4's C step: a deal's parties and history into its columns
 * (from the tables they leave), its names into deal_names, and the
 * number of every group key. */
static int
fold_v4(struct store *s, struct buf *err)
{
	static const char *const sql[] = {
		"SELECT id, gkey FROM deals ORDER BY id",
		"SELECT role, name FROM deal_parties WHERE deal_id = ?"
		" ORDER BY pos",
		"SELECT status, date FROM history WHERE deal_id = ?"
		" ORDER BY status",
		"UPDATE deals SET parties = ?2, history = ?3, gh = ?4"
		" WHERE id = ?1",
		"INSERT OR IGNORE INTO deal_names(name_key, deal_id)"
		" VALUES (?, ?)",
		"SELECT id, gkey FROM mentions",
		"UPDATE mentions SET gh = ?2 WHERE id = ?1",
	};
	enum { DEALS, PAR, HIS, SET, NAME, MENTIONS, SET_M };
	sqlite3_stmt *st[countof(sql)] = { NULL };
	struct buf p = BUF_INIT, h = BUF_INIT;
	int rc = DW_OK, step = SQLITE_DONE;

	/* Not cached: run once. */
	for (size_t i = 0; i < countof(sql); i++)
		if (sqlite3_prepare_v2(s->db, sql[i], -1, &st[i], NULL) !=
		    SQLITE_OK)
			rc = DW_EIO;
	if (rc != DW_OK)
		goto out;
	while (step == SQLITE_DONE &&
	    (step = sqlite3_step(st[DEALS])) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st[DEALS], 0);
		const char *gkey =
		    (const char *)sqlite3_column_text(st[DEALS], 1);
		const char *key, *q = gkey ? gkey : "";
		size_t n;

		buf_reset(&p);
		buf_reset(&h);
		sqlite3_bind_int64(st[PAR], 1, id);
		while (sqlite3_step(st[PAR]) == SQLITE_ROW) {
			store__add_int(&p, sqlite3_column_int(st[PAR], 0));
			buf_addch(&p, ':');
			store__add_int(&p, sqlite3_column_bytes(st[PAR], 1));
			buf_addch(&p, ':');
			buf_add(&p, sqlite3_column_text(st[PAR], 1),
			    (size_t)sqlite3_column_bytes(st[PAR], 1));
			buf_addch(&p, ';');
		}
		sqlite3_reset(st[PAR]);
		sqlite3_bind_int64(st[HIS], 1, id);
		while (sqlite3_step(st[HIS]) == SQLITE_ROW) {
			store__add_int(&h, sqlite3_column_int(st[HIS], 0));
			buf_addch(&h, '=');
			if (sqlite3_column_bytes(st[HIS], 1) > 0)
				buf_add(&h, sqlite3_column_text(st[HIS], 1),
				    (size_t)sqlite3_column_bytes(st[HIS], 1));
			buf_addch(&h, ';');
		}
		sqlite3_reset(st[HIS]);
		sqlite3_bind_int64(st[SET], 1, id);
		sqlite3_bind_text(st[SET], 2, p.data ? p.data : "", (int)p.len,
		    SQLITE_STATIC);
		sqlite3_bind_text(st[SET], 3, h.data ? h.data : "", (int)h.len,
		    SQLITE_STATIC);
		sqlite3_bind_int64(st[SET], 4, store__gkey_hash(q));
		step = sqlite3_step(st[SET]);
		sqlite3_reset(st[SET]);
		while (step == SQLITE_DONE &&
		    (q = store__gkey_next(q, &key, &n)) != NULL) {
			sqlite3_bind_text(st[NAME], 1, key, (int)n,
			    SQLITE_STATIC);
			sqlite3_bind_int64(st[NAME], 2, id);
			step = sqlite3_step(st[NAME]);
			sqlite3_reset(st[NAME]);
		}
	}
	while (step == SQLITE_DONE &&
	    (step = sqlite3_step(st[MENTIONS])) == SQLITE_ROW) {
		const char *gkey =
		    (const char *)sqlite3_column_text(st[MENTIONS], 1);

		sqlite3_bind_int64(st[SET_M], 1,
		    sqlite3_column_int64(st[MENTIONS], 0));
		sqlite3_bind_int64(st[SET_M], 2,
		    store__gkey_hash(gkey ? gkey : ""));
		step = sqlite3_step(st[SET_M]);
		sqlite3_reset(st[SET_M]);
	}
	if (step != SQLITE_DONE)
		rc = DW_EIO;
out:
	if (rc != DW_OK)
		rc = store__fail(s, err, "cannot upgrade database");
	for (size_t i = 0; i < countof(sql); i++)
		sqlite3_finalize(st[i]);
	buf_release(&p);
	buf_release(&h);
	if (rc == DW_OK)
		rc = store__exec(s,
		    "DROP TABLE deal_parties; DROP TABLE history;"
		    "CREATE INDEX mentions_gh ON mentions(gh);"
		    "CREATE INDEX deals_gh ON deals(gh);",
		    err);
	return rc;
}

/*
 * Version 5: deals lose AUTOINCREMENT, which read and rewrote its
 * sqlite_sequence row with every deal inserted (4 % of what storing an
 * article cost). The store numbers new deals itself, past the high-water
 * mark kept in counters ("deals": the highest deal id ever given, deals
 * since removed included), read once a transaction and written once at
 * its commit: an id is still never given twice (store__deal_id). The
 * table is made again with the same columns (SQLite cannot drop
 * AUTOINCREMENT in place).
 */
static const char schema_v5[] =
    /* Counters the store keeps: name, value. */
    "CREATE TABLE counters ("
    " name TEXT PRIMARY KEY,"
    " value INTEGER NOT NULL) WITHOUT ROWID;"
    "INSERT INTO counters(name, value) SELECT 'deals',"
    " max(coalesce((SELECT max(seq) FROM sqlite_sequence"
    " WHERE name = 'deals'),"
    " 0), coalesce((SELECT max(id) FROM deals), 0));"
    "CREATE TABLE deals_v5 ("
    " id INTEGER PRIMARY KEY,"
    " gkey TEXT NOT NULL, type INTEGER NOT NULL,"
    " status INTEGER, date TEXT, date_text TEXT,"
    " amount REAL, amount_low REAL, amount_high REAL,"
    " amount_currency TEXT, amount_qualifier INTEGER, amount_text TEXT,"
    " stake REAL, stake_text TEXT,"
    " valuation REAL, valuation_low REAL, valuation_high REAL,"
    " valuation_currency TEXT, valuation_qualifier INTEGER,"
    " valuation_text TEXT,"
    " sources INTEGER NOT NULL DEFAULT 0,"
    " first_published TEXT,"
    " rejected INTEGER NOT NULL DEFAULT 0,"
    " merged_into INTEGER REFERENCES deals(id),"
    " updated TEXT NOT NULL,"
    " parties TEXT NOT NULL DEFAULT '',"
    " history TEXT NOT NULL DEFAULT '',"
    " gh INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO deals_v5 SELECT id, gkey, type, status, date, date_text,"
    " amount, amount_low, amount_high, amount_currency, amount_qualifier,"
    " amount_text, stake, stake_text, valuation, valuation_low,"
    " valuation_high, valuation_currency, valuation_qualifier,"
    " valuation_text, sources, first_published, rejected, merged_into,"
    " updated, parties, history, gh FROM deals;"
    "DROP TABLE deals;"
    "ALTER TABLE deals_v5 RENAME TO deals;"
    "CREATE INDEX deals_gh ON deals(gh);";

/*
 * Version 6: an article's mentions are numbered from its id
 * (store__mention_id: article id times 2^20 plus their place in its deal
 * list), which finds them by their ids; mentions_article, an entry every
 * mention wrote, goes. The names of deal_names are kept as 32-bit
 * numbers (store__name_hash), a third of the entries' size; a look-up
 * checks the deal's group key too. mentions is made again with the same
 * columns, numbered anew (in each article, in the order they had).
 */
static const char schema_v6[] =
    "CREATE TABLE mentions_v6 ("
    " id INTEGER PRIMARY KEY,"
    " article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,"
    " seq INTEGER NOT NULL,"
    " deal_id INTEGER REFERENCES deals(id),"
    " pin INTEGER REFERENCES deals(id),"
    " gkey TEXT NOT NULL, type INTEGER NOT NULL, parties TEXT NOT NULL,"
    " status INTEGER NOT NULL, date TEXT, date_text TEXT,"
    " amount REAL, amount_low REAL, amount_high REAL,"
    " amount_currency TEXT, amount_qualifier INTEGER, amount_text TEXT,"
    " stake REAL, stake_text TEXT,"
    " valuation REAL, valuation_low REAL, valuation_high REAL,"
    " valuation_currency TEXT, valuation_qualifier INTEGER,"
    " valuation_text TEXT,"
    " evidence TEXT NOT NULL,"
    " gh INTEGER NOT NULL DEFAULT 0);"
    "INSERT INTO mentions_v6 SELECT article_id * 1048576 - 1 +"
    " row_number() OVER (PARTITION BY article_id ORDER BY seq, id),"
    " article_id, seq, deal_id, pin, gkey, type, parties, status, date,"
    " date_text, amount, amount_low, amount_high, amount_currency,"
    " amount_qualifier, amount_text, stake, stake_text, valuation,"
    " valuation_low, valuation_high, valuation_currency,"
    " valuation_qualifier, valuation_text, evidence, gh FROM mentions"
    " ORDER BY 1;"
    "DROP TABLE mentions;"
    "ALTER TABLE mentions_v6 RENAME TO mentions;"
    "CREATE INDEX mentions_deal ON mentions(deal_id);"
    "CREATE INDEX mentions_gh ON mentions(gh);"
    "ALTER TABLE deal_names RENAME TO deal_names_v5;"
    /* The numbers of the folded names of each deal's parties. */
    "CREATE TABLE deal_names ("
    " nh INTEGER NOT NULL,"
    " deal_id INTEGER NOT NULL,"
    " PRIMARY KEY (nh, deal_id)) WITHOUT ROWID;";

_Static_assert(STORE_MENTION_SPAN == 1048576, "schema_v6 numbers so");

/* Version 6's C step: the names numbered. */
static int
fold_v6(struct store *s, struct buf *err)
{
	sqlite3_stmt *get = NULL, *put = NULL;
	int rc = DW_OK, step = SQLITE_DONE;

	/* Not cached: run once. */
	if (sqlite3_prepare_v2(s->db,
	        "SELECT name_key, deal_id FROM deal_names_v5", -1, &get,
	        NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
	        "INSERT OR IGNORE INTO deal_names(nh, deal_id) VALUES (?, ?)",
	        -1, &put, NULL) != SQLITE_OK)
		rc = DW_EIO;
	while (rc == DW_OK && step == SQLITE_DONE &&
	    (step = sqlite3_step(get)) == SQLITE_ROW) {
		sqlite3_bind_int64(put, 1,
		    store__name_hash((const char *)sqlite3_column_text(get, 0),
		        (size_t)sqlite3_column_bytes(get, 0)));
		sqlite3_bind_int64(put, 2, sqlite3_column_int64(get, 1));
		step = sqlite3_step(put);
		sqlite3_reset(put);
	}
	if (rc == DW_OK && step != SQLITE_DONE)
		rc = DW_EIO;
	if (rc != DW_OK)
		rc = store__fail(s, err, "cannot upgrade database");
	sqlite3_finalize(get);
	sqlite3_finalize(put);
	if (rc == DW_OK)
		rc = store__exec(s, "DROP TABLE deal_names_v5;", err);
	return rc;
}

/*
 * Version 7: deals are indexed by group number only when rejected
 * (deals_rejected, a partial index). A group is looked up in deals for
 * one thing: a rejected deal that has lost its mentions, whose id a new
 * cluster it fits takes (rejected_orphan). Every other deal of a group
 * is found by its mentions (mentions_gh), which the deal follows (its
 * group key is one of its mentions'), or it has none and nothing to
 * gain from a look-up (a deal merged away or into, which no new mention
 * joins unless pinned). deals_gh was an entry at a random place that
 * every new deal wrote (6 % of what storing an article cost).
 */
static const char schema_v7[] =
    "DROP INDEX deals_gh;"
    "CREATE INDEX deals_rejected ON deals(gh) WHERE rejected = 1;";

/* Migration i takes the database from version i to i + 1: its SQL, then
 * its C step when it has one. */
static const struct migration {
	const char *sql;
	int (*fn)(struct store *s, struct buf *err);
} migrations[] = {
	{ schema_v1, NULL },
	{ schema_v2, store__resketch },
	{ schema_v3, NULL },
	{ schema_v4, fold_v4 },
	{ schema_v5, NULL },
	{ schema_v6, fold_v6 },
	{ schema_v7, NULL },
};

_Static_assert(countof(migrations) == STORE_SCHEMA_VERSION,
    "one migration a schema version");

int
store__migrate(struct store *s, struct buf *err)
{
	sqlite3_stmt *st = NULL;
	int version = 0, rc;
	char sql[64];

	rc = sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return store__fail(s, err, "cannot read schema version");
	if (sqlite3_step(st) == SQLITE_ROW)
		version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (version > STORE_SCHEMA_VERSION) {
		buf_setf(err,
		    "database '%s' has schema version %d, newer than this "
		    "dealwire knows (%d)",
		    s->path, version, STORE_SCHEMA_VERSION);
		return DW_EIO;
	}
	if (version == STORE_SCHEMA_VERSION)
		return DW_OK;
	for (int v = version; v < STORE_SCHEMA_VERSION; v++) {
		rc = store__exec(s, migrations[v].sql, err);
		if (rc == DW_OK && migrations[v].fn)
			rc = migrations[v].fn(s, err);
		if (rc != DW_OK)
			return rc;
	}
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d",
	    STORE_SCHEMA_VERSION);
	return store__exec(s, sql, err);
}
