/*
 * groups.c: the group numbers (store__gkey_hash) the database holds, in
 * memory, so that an article whose deals make new groups (most of a
 * crawl's) does not look each up in mentions and deals: a number not in
 * the set is of no stored group. A number in it only says "look".
 *
 * The set holds at least what the database holds: it is read once
 * (every gh of mentions and of rejected deals, where a group is looked
 * up) after a connection has looked groups
 * up a few times (one article stored on a large database reads no more
 * than before), each gh this connection writes is added as it is
 * written, and it is read again when another connection committed since
 * (PRAGMA data_version, asked once a transaction). A row rolled back
 * leaves its number behind, which costs one look-up, never a wrong
 * answer.
 */
#include <stdlib.h>
#include <string.h>

#include "store/internal.h"

/* Look-ups by query before the set is read. */
#define GROUPS_LOAD_AFTER 32
#define GROUPS_FIRST 1024 /* slots first; doubled at half full */

struct group_set {
	uint64_t *slot; /* 0: empty */
	size_t cap, n;
	int has_zero; /* gh 0 is held outside the slots */
	int loaded;   /* read from the database */
	int synced;   /* data_version checked in this transaction */
	int64_t data_version;
	unsigned queries; /* look-ups by query before loading */
};

static size_t
slot_of(const struct group_set *g, uint64_t v)
{
	return (size_t)((v * 0x9e3779b97f4a7c15ULL) >> 20) & (g->cap - 1);
}

static void set_put(struct group_set *g, uint64_t v);

static void
set_grow(struct group_set *g)
{
	uint64_t *old = g->slot;
	size_t cap = g->cap;

	g->cap = cap ? cap * 2 : GROUPS_FIRST;
	g->slot = xcalloc(g->cap, sizeof(*g->slot));
	g->n = 0;
	for (size_t i = 0; i < cap; i++)
		if (old[i])
			set_put(g, old[i]);
	free(old);
}

static void
set_put(struct group_set *g, uint64_t v)
{
	size_t i;

	if (v == 0) {
		g->has_zero = 1;
		return;
	}
	if (2 * (g->n + 1) > g->cap)
		set_grow(g);
	for (i = slot_of(g, v); g->slot[i]; i = (i + 1) & (g->cap - 1))
		if (g->slot[i] == v)
			return;
	g->slot[i] = v;
	g->n++;
}

static int
set_has(const struct group_set *g, uint64_t v)
{
	if (v == 0)
		return g->has_zero;
	if (!g->cap)
		return 0;
	for (size_t i = slot_of(g, v); g->slot[i]; i = (i + 1) & (g->cap - 1))
		if (g->slot[i] == v)
			return 1;
	return 0;
}

static int
data_version(struct store *s, int64_t *out, struct buf *err)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int rc;

	if (!st)
		return DW_EIO;
	rc = sqlite3_step(st);
	*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? DW_OK
	                        : store__fail(s, err, "cannot read mentions");
}

/* Every group number stored, read afresh. */
static int
load(struct store *s, struct group_set *g, struct buf *err)
{
	static const char sql[] = "SELECT gh FROM mentions UNION ALL"
	                          " SELECT gh FROM deals WHERE rejected = 1";
	sqlite3_stmt *st = store__stmt(s, sql, err);
	int rc;

	if (!st)
		return DW_EIO;
	free(g->slot);
	g->slot = NULL;
	g->cap = g->n = 0;
	g->has_zero = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		set_put(g, (uint64_t)sqlite3_column_int64(st, 0));
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		g->loaded = 0;
		return store__fail(s, err, "cannot read mentions");
	}
	g->loaded = 1;
	return DW_OK;
}

int
store__group_maybe(struct store *s, int64_t gh, int *out, struct buf *err)
{
	struct group_set *g = s->groups;
	int64_t dv;
	int rc;

	*out = 1;
	if (!g)
		g = s->groups = xcalloc(1, sizeof(*g));
	if (!g->loaded && ++g->queries <= GROUPS_LOAD_AFTER)
		return DW_OK;
	if (!g->synced || !g->loaded) {
		rc = data_version(s, &dv, err);
		if (rc == DW_OK && (!g->loaded || dv != g->data_version))
			rc = load(s, g, err);
		if (rc != DW_OK)
			return rc;
		g->data_version = dv;
		g->synced = 1;
	}
	*out = set_has(g, (uint64_t)gh);
	return DW_OK;
}

void
store__group_add(struct store *s, int64_t gh)
{
	if (s->groups && s->groups->loaded)
		set_put(s->groups, (uint64_t)gh);
}

void
store__group_stale(struct store *s)
{
	if (s->groups)
		s->groups->synced = 0;
}

void
store__group_free(struct store *s)
{
	if (!s->groups)
		return;
	free(s->groups->slot);
	free(s->groups);
	s->groups = NULL;
}
