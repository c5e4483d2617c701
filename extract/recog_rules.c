/*
 * recog_rules.c: reads the recognizer rule files (word lists, regex macros
 * and patterns, see the README's "recognizers" section) and compiles each
 * pattern once to PCRE2 with JIT. It does not match anything itself.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "extract/recog.h"

/* The files recog reads, in this order: later files use earlier names. */
static const char *const recog_files[] = {
	"numbers.rules",
	"currencies.rules",
	"qualifiers.rules",
	"dates.rules",
	"money.rules",
};

/* A macro: its expanded regex text. */
struct recog_def {
	char *name;
	char *text;
};

/* The text of a pattern or define being read, with each byte's origin. */
struct recog_src {
	struct buf text;
	unsigned *line, *col; /* per byte of text */
	size_t cap;
};

struct recog_reader {
	struct recog *r;
	struct recog_def *defs;
	size_t ndefs;
	const char *path;
	struct buf *err;
};

size_t
recog_norm(char *out, size_t cap, const char *s, size_t n, int cased)
{
	size_t k = 0;

	for (size_t i = 0; i < n && k + 1 < cap; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == ' ' || c == '\t' || c == '.' || c == '-' ||
		    c == '\'' || c == '\n' || c == '\r')
			continue;
		/* ASCII only, as tolower() in the C locale, without a call. */
		out[k++] =
		    (char)(!cased && c >= 'A' && c <= 'Z' ? c | 0x20 : c);
	}
	out[k] = '\0';
	return k;
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct recog_entry *x = a, *y = b;

	return strcmp(x->key, y->key);
}

static size_t
name_slot(const char *name)
{
	size_t h = 5381;

	while (*name)
		h = h * 33 + (unsigned char)*name++;
	return h & (RECOG_LIST_SLOTS - 1);
}

const struct recog_list *
recog_list_get(const struct recog *r, const char *name)
{
	size_t i = name_slot(name);

	/* NOTE: the slots are filled by recog__index_lists() at open. */
	for (size_t k = 0; k < RECOG_LIST_SLOTS; k++) {
		int v = r->slot[(i + k) & (RECOG_LIST_SLOTS - 1)];

		if (v < 0)
			return NULL;
		if (strcmp(r->lists[v].name, name) == 0)
			return &r->lists[v];
	}
	return NULL;
}

uint64_t
recog_list_bit(const struct recog *r, int list)
{
	int k = r->lid[list];

	return k >= 0 && k < RECOG_MAX_LISTS ? (uint64_t)1 << k : 0;
}

/* The hash of a normalized key in list v. */
static uint64_t
key_hash(size_t v, const char *key, size_t n)
{
	uint64_t h = 1469598103934665603u ^ (uint64_t)v;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)key[i]) * 1099511628211u;
	return h;
}

/* Every list's entries in one hash table, for recog_lookup. */
static void
index_entries(struct recog *r)
{
	size_t total = 0;

	for (size_t v = 0; v < r->nlists; v++)
		total += r->lists[v].n;
	r->nkslots = 64;
	while (r->nkslots < total * 2)
		r->nkslots *= 2;
	r->kslots = xcalloc(r->nkslots, sizeof(*r->kslots));
	for (size_t v = 0; v < r->nlists; v++)
		for (size_t j = 0; j < r->lists[v].n; j++) {
			struct recog_entry *e = &r->lists[v].v[j];
			uint64_t h = key_hash(v, e->key, strlen(e->key));
			size_t i = h & (r->nkslots - 1);

			e->num = strtod(e->value, NULL);
			e->inum = strtol(e->value, NULL, 10);
			/* The first of equal keys wins, as in sorted order. */
			while (r->kslots[i].e &&
			    !(r->kslots[i].list == v &&
			        strcmp(r->kslots[i].e->key, e->key) == 0))
				i = (i + 1) & (r->nkslots - 1);
			if (r->kslots[i].e)
				continue;
			r->kslots[i].h = h;
			r->kslots[i].e = e;
			r->kslots[i].list = v;
		}
}

static void
index_lists(struct recog *r)
{
	/* recog_norm by table: 0x100 drops the byte. */
	for (int c = 0; c < 256; c++) {
		int drop = c == ' ' || c == '\t' || c == '.' || c == '-' ||
		    c == '\'' || c == '\n' || c == '\r';

		r->norm[1][c] = (uint16_t)(drop ? 0x100 : c);
		r->norm[0][c] = (uint16_t)(drop ? 0x100
		        : c >= 'A' && c <= 'Z'  ? c | 0x20
		                                : c);
	}
	index_entries(r);
	for (size_t k = 0; k < RECOG_LIST_SLOTS; k++)
		r->slot[k] = -1;
	for (size_t v = 0; v < r->nlists && v < RECOG_LIST_SLOTS / 2; v++) {
		size_t i = name_slot(r->lists[v].name);

		while (r->slot[i] >= 0)
			i = (i + 1) & (RECOG_LIST_SLOTS - 1);
		r->slot[i] = (int)v;
	}
}

const char *
recog_lookup(const struct recog *r, int list, const char *s, size_t n)
{
	const struct recog_entry *e = recog_lookup_entry(r, list, s, n);

	return e ? e->value : NULL;
}

const struct recog_entry *
recog_lookup_entry(const struct recog *r, int list, const char *s, size_t n)
{
	char key[256];
	size_t k = 0, i;
	int v = r->lid[list];
	const uint16_t *norm;
	uint64_t h;

	if (v < 0 || n >= sizeof(key) || !r->nkslots)
		return NULL;
	/* recog_norm and key_hash in one pass, by table: lookups are many
	 * and short. */
	norm = r->norm[r->lists[v].cased != 0];
	h = 1469598103934665603u ^ (uint64_t)v;
	for (i = 0; i < n; i++) {
		unsigned c = norm[(unsigned char)s[i]];

		if (c > 0xff)
			continue;
		key[k++] = (char)c;
		h = (h ^ c) * 1099511628211u;
	}
	key[k] = '\0';
	for (i = h & (r->nkslots - 1); r->kslots[i].e;
	     i = (i + 1) & (r->nkslots - 1)) {
		const char *x = r->kslots[i].e->key, *y = key;

		if (r->kslots[i].h != h || r->kslots[i].list != (size_t)v)
			continue;
		/* strcmp, inline: the keys are a few bytes */
		while (*x && *x == *y) {
			x++;
			y++;
		}
		if (*x == *y)
			return r->kslots[i].e;
	}
	return NULL;
}

uint64_t
recog_word_hash(const char *p, size_t n)
{
	uint64_t h = RECOG_HASH0, c = 0;

	for (size_t k = 0; k < n; k++) {
		c |= (uint64_t)((unsigned char)p[k] | 0x20) << (8 * (k & 7));
		if ((k & 7) == 7) {
			h = recog_hash_chunk(h, c);
			c = 0;
		}
	}
	if (n & 7)
		h = recog_hash_chunk(h, c);
	return recog_hash_end(h, n);
}

const struct recog_word *
recog_word_get(const struct recog *r, const char *p, size_t n)
{
	return recog_word_find(r, p, n, recog_word_hash(p, n));
}

uint64_t
recog_word_mask(const struct recog *r, const char *p, size_t n, uint64_t *core)
{
	const struct recog_word *w = recog_word_get(r, p, n);

	*core = w ? w->core : 0;
	return w ? w->mask : 0;
}

/* Text recog_norm drops when it compares aliases loosely. */
static int
norm_skip(unsigned char c)
{
	return c == ' ' || c == '.' || c == '-' || c == '\'' ||
	    (c >= '\t' && c <= '\r');
}

static unsigned char
lower(unsigned char c)
{
	return c >= 'A' && c <= 'Z' ? (unsigned char)(c | 0x20) : c;
}

/* Does key (a recog_norm key) go on at text[i], loosely? */
static int
key_at(struct span text, size_t i, const char *key)
{
	for (size_t k = 0; key[k];) {
		unsigned char c;

		/* Caseless non-ASCII is the pattern's business. */
		if ((unsigned char)key[k] >= 0x80)
			return 1;
		if (i >= text.len)
			return 0;
		c = (unsigned char)text.p[i++];
		if (norm_skip(c))
			continue;
		if (lower(c) != (unsigned char)key[k])
			return 0;
		k++;
	}
	return 1;
}

/* Bits set in x, without a library call (no -mpopcnt here). */
static unsigned
bit_count(uint64_t x)
{
	x = x - ((x >> 1) & 0x5555555555555555u);
	x = (x & 0x3333333333333333u) + ((x >> 2) & 0x3333333333333333u);
	x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0fu;
	return (unsigned)((x * 0x0101010101010101u) >> 56);
}

/* How many bits of the 128-bit set m are below c. */
static unsigned
rank128(const uint64_t m[2], unsigned char c)
{
	uint64_t low = ((uint64_t)1 << (c & 63)) - 1;

	if (c < 64)
		return bit_count(m[0] & low);
	return bit_count(m[0]) + bit_count(m[1] & low);
}

uint64_t
recog_word_starts(const struct recog *r, const struct recog_word *w,
    struct span text, size_t pos)
{
	uint64_t got = w->full, need = w->need;
	size_t n = w->len, i = pos + n;
	uint32_t k, end, tail;
	unsigned char c;

	if (!need)
		return got;
	/* The word matched; the first character after it decides most. */
	while (i < text.len && norm_skip((unsigned char)text.p[i]))
		i++;
	c = i < text.len ? lower((unsigned char)text.p[i]) : 0;
	if (c < 0x80 && !(w->after[c >> 6] & ((uint64_t)1 << (c & 63))))
		return got;
	/* Only the rests going on with c, then the non-ASCII ones, can. */
	tail = w->tail;
	k = end = 0;
	if (c < 0x80 && (w->nexts[c >> 6] & ((uint64_t)1 << (c & 63)))) {
		uint32_t g = w->grp + rank128(w->nexts, c);

		k = r->rgrp[g];
		end = r->rgrp[g + 1];
	}
	for (int pass = 0; pass < 2; pass++) {
		for (; need && k < end; k++) {
			const struct recog_rest *x = &r->rests[k];

			if ((need & x->bit) && key_at(text, i, x->key + n)) {
				got |= x->bit;
				need &= ~x->bit;
			}
		}
		k = tail;
		end = w->rest + w->nrest;
	}
	return got;
}

/* Note that list bit begins (core: ends) with this run of letters; core
 * 2: ends with it where the text goes on as the alias does. */
static struct recog_word *
word_note(struct recog *r, const char *a, size_t k, uint64_t bit, int core)
{
	size_t i;

	if (!k || k >= sizeof(r->words[0].key))
		return NULL;
	if (!r->nwords) {
		r->nwords = RECOG_WORD_SLOTS;
		r->words = xcalloc(r->nwords, sizeof(*r->words));
		r->wtag = xcalloc(r->nwords, 1);
	}
	i = recog_word_hash(a, k) & (r->nwords - 1);
	while (r->words[i].key[0]) {
		if (strlen(r->words[i].key) == k &&
		    strncasecmp(r->words[i].key, a, k) == 0)
			break;
		i = (i + 1) & (r->nwords - 1);
	}
	if (!r->words[i].key[0]) {
		r->wtag[i] = RECOG_WORD_TAG(recog_word_hash(a, k));
		for (size_t j = 0; j < k; j++)
			r->words[i].key[j] = (char)tolower((unsigned char)a[j]);
		r->words[i].key[k] = '\0';
		r->words[i].len = (uint32_t)k;
		r->words[i].hash = recog_word_hash(a, k);
	}
	if (core == 2)
		r->words[i].core_if |= bit;
	else if (core)
		r->words[i].core |= bit;
	else
		r->words[i].mask |= bit;
	return &r->words[i];
}

/* An alias's first run of letters may start a match, its last ends one. */
static void
word_add(struct recog *r, const char *a, size_t n, uint64_t bit)
{
	size_t k = 0, e = n, b;
	struct recog_word *w;
	char key[256];

	while (k < n && isalpha((unsigned char)a[k]))
		k++;
	w = word_note(r, a, k, bit, 0);
	recog_norm(key, sizeof(key), a, n, 0);
	if (w && strcmp(key, w->key) == 0)
		w->full |= bit;
	else if (w) {
		/* Kept per alias for now; grouped by word at the end. */
		r->rests =
		    xreallocarray(r->rests, r->nrests + 1, sizeof(*r->rests));
		r->rests[r->nrests].key = xstrdup(key);
		r->rests[r->nrests].bit = bit;
		r->rests[r->nrests].word = (uint32_t)(w - r->words);
		r->rests[r->nrests].seq = (uint32_t)r->nrests;
		r->nrests++;
		w->nrest++;
	}
	while (e > 0 && !isalpha((unsigned char)a[e - 1]))
		e--;
	b = e;
	while (b > 0 && isalpha((unsigned char)a[b - 1]))
		b--;
	/* "A$" ends with "a" only where "$" follows: the text must go on
	 * with what recog_norm keeps of the rest. */
	if (!recog_norm(key, sizeof(key), a + e, n - e, 0)) {
		word_note(r, a + b, e - b, bit, 1);
		return;
	}
	w = word_note(r, a + b, e - b, bit, 2);
	if (!w)
		return;
	r->tails = xreallocarray(r->tails, r->ntails + 1, sizeof(*r->tails));
	r->tails[r->ntails].key = xstrdup(key);
	r->tails[r->ntails].bit = bit;
	r->tails[r->ntails].word = (uint32_t)(w - r->words);
	r->tails[r->ntails].seq = (uint32_t)r->ntails;
	r->tails[r->ntails].next = (unsigned char)key[0];
	r->ntails++;
}

static int
tail_cmp(const void *a, const void *b)
{
	const struct recog_rest *x = a, *y = b;

	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Group the tails by word; a list the word ends unconditionally needs
 * none. */
static void
tails_group(struct recog *r)
{
	if (r->ntails)
		qsort(r->tails, r->ntails, sizeof(*r->tails), tail_cmp);
	for (size_t i = 0; i < r->ntails; i++) {
		struct recog_word *w = &r->words[r->tails[i].word];

		if (i == 0 || r->tails[i - 1].word != r->tails[i].word)
			w->ctail = (uint32_t)i;
		w->nctail++;
	}
	for (size_t i = 0; i < r->nwords; i++)
		r->words[i].core_if &= ~r->words[i].core;
}

uint64_t
recog_word_ends(const struct recog *r, const struct recog_word *w,
    struct span text, size_t pos)
{
	uint64_t got = 0;

	while (pos < text.len && norm_skip((unsigned char)text.p[pos]))
		pos++;
	for (uint32_t k = w->ctail; k < w->ctail + w->nctail; k++) {
		const struct recog_rest *x = &r->tails[k];

		if ((w->core_if & x->bit) && !(got & x->bit) &&
		    key_at(text, pos, x->key))
			got |= x->bit;
	}
	return got;
}

static int
rest_cmp(const void *a, const void *b)
{
	const struct recog_rest *x = a, *y = b;

	if (x->word != y->word)
		return x->word < y->word ? -1 : 1;
	if (x->next != y->next)
		return x->next < y->next ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Group the longer aliases by their first word (see recog_word.rest) and,
 * within a word, by the byte they go on with (see recog_word.grp). */
static void
rests_group(struct recog *r)
{
	size_t ngrp = 0;

	/* pair2[0], no pairs, for the words without one */
	r->pair2 = xcalloc(1, sizeof(*r->pair2));
	r->npair2 = 1;
	if (!r->nrests)
		return;
	for (size_t i = 0; i < r->nrests; i++) {
		const struct recog_word *w = &r->words[r->rests[i].word];

		r->rests[i].next =
		    (unsigned char)r->rests[i].key[strlen(w->key)];
	}
	qsort(r->rests, r->nrests, sizeof(*r->rests), rest_cmp);
	/* At most one group per rest, and one end per word. */
	r->rgrp = xcalloc(2 * r->nrests, sizeof(*r->rgrp));
	for (size_t i = 0; i < r->nrests; i++) {
		struct recog_word *w = &r->words[r->rests[i].word];
		unsigned char c = r->rests[i].next;

		if (i == 0 || r->rests[i - 1].word != r->rests[i].word) {
			w->rest = (uint32_t)i;
			w->grp = (uint32_t)ngrp;
		}
		/* The letter after a first letter, for word_token's test;
		 * past ASCII or at the key's end, any may follow. */
		if (c >= 'a' && c <= 'z') {
			unsigned char c2 =
			    (unsigned char)r->rests[i].key[strlen(w->key) + 1];

			if (c2 >= 'a' && c2 <= 'z') {
				if (!w->after2) {
					r->pair2 = xreallocarray(r->pair2,
					    r->npair2 + 1, sizeof(*r->pair2));
					memset(r->pair2[r->npair2], 0,
					    sizeof(*r->pair2));
					w->after2 = (uint32_t)r->npair2++;
				}
				r->pair2[w->after2][c - 'a'] |= (uint32_t)1
				    << (c2 - 'a');
			} else if (c2 >= 0x80 || !c2)
				w->any2 |= (uint32_t)1 << (c - 'a');
		}
		/* Past ASCII, any byte may go on (see key_at). */
		if (c >= 0x80)
			w->after[0] = w->after[1] = ~(uint64_t)0;
		else if (!(w->nexts[c >> 6] & ((uint64_t)1 << (c & 63)))) {
			w->after[c >> 6] |= (uint64_t)1 << (c & 63);
			w->nexts[c >> 6] |= (uint64_t)1 << (c & 63);
			r->rgrp[ngrp++] = (uint32_t)i;
		}
		if (i + 1 == r->nrests ||
		    r->rests[i + 1].word != r->rests[i].word) {
			/* The end of the last group: the non-ASCII ones. */
			size_t k = i + 1;

			while (k > w->rest && r->rests[k - 1].next >= 0x80)
				k--;
			r->rgrp[ngrp++] = (uint32_t)k;
			w->tail = (uint32_t)k;
		}
	}
}

static void
src_add(struct recog_src *s, const char *p, size_t n, unsigned line,
    unsigned col, int fixed)
{
	if (s->text.len + n + 1 > s->cap) {
		s->cap = (s->text.len + n + 1) * 2;
		s->line = xreallocarray(s->line, s->cap, sizeof(*s->line));
		s->col = xreallocarray(s->col, s->cap, sizeof(*s->col));
	}
	for (size_t i = 0; i < n; i++) {
		s->line[s->text.len + i] = line;
		s->col[s->text.len + i] = fixed ? col : col + (unsigned)i;
	}
	buf_add(&s->text, p, n);
}

static void
src_release(struct recog_src *s)
{
	buf_release(&s->text);
	free(s->line);
	free(s->col);
}

/*
 * A macro's text, or for a list a call "(?&L_name)": lists are defined
 * once per pattern (see add_lists) so big lists used often stay small.
 * A short list is written in place: a call costs more, matching, than its
 * few branches do, and its copies add little to compile.
 */
#define RECOG_INLINE_LIST 128
static const char *
def_get(const struct recog_reader *rd, const char *name, size_t n,
    struct buf *call)
{
	for (size_t i = 0; i < rd->ndefs; i++)
		if (strlen(rd->defs[i].name) == n &&
		    memcmp(rd->defs[i].name, name, n) == 0)
			return rd->defs[i].text;
	for (size_t i = 0; i < rd->r->nlists; i++)
		if (strlen(rd->r->lists[i].name) == n &&
		    memcmp(rd->r->lists[i].name, name, n) == 0) {
			if (strlen(rd->r->lists[i].regex) < RECOG_INLINE_LIST)
				return rd->r->lists[i].regex;
			buf_reset(call);
			buf_addf(call, "(?&L_%s)", rd->r->lists[i].name);
			return call->data;
		}
	return NULL;
}

/* Append a DEFINE group for every list the pattern calls. */
static void
add_lists(struct recog_src *s, const struct recog_reader *rd)
{
	struct buf call = BUF_INIT;
	unsigned line = s->text.len ? s->line[0] : 0;

	for (size_t i = 0; i < rd->r->nlists; i++) {
		const struct recog_list *l = &rd->r->lists[i];

		buf_reset(&call);
		buf_addf(&call, "(?&L_%s)", l->name);
		if (!strstr(s->text.data, call.data))
			continue;
		buf_reset(&call);
		buf_addf(&call, "(?(DEFINE)(?<L_%s>%s))", l->name, l->regex);
		src_add(s, call.data, call.len, line, 1, 1);
	}
	buf_release(&call);
}

/* Append one body line to s, expanding {name} references. */
static int
expand_line(struct recog_src *s, const struct recog_reader *rd, const char *p,
    size_t n, unsigned line, unsigned col0)
{
	struct buf call = BUF_INIT;
	size_t i = 0;
	int rc = DW_OK;

	while (i < n) {
		size_t j = i;

		while (j < n && p[j] != '{' && p[j] != '\\')
			j++;
		src_add(s, p + i, j - i, line, col0 + (unsigned)i, 0);
		if (j >= n)
			break;
		if (p[j] == '\\') {
			src_add(s, p + j, j + 1 < n ? 2 : 1, line,
			    col0 + (unsigned)j, 0);
			i = j + 2;
			continue;
		}
		/* A reference starts with a letter; {2,3} is a quantifier. */
		if (j + 1 < n && isalpha((unsigned char)p[j + 1])) {
			size_t k = j + 1;
			const char *t;

			while (k < n &&
			    (isalnum((unsigned char)p[k]) || p[k] == '_'))
				k++;
			if (k >= n || p[k] != '}') {
				buf_setf(rd->err,
				    "%s:%u:%u: unclosed reference", rd->path,
				    line, col0 + (unsigned)j);
				rc = DW_ECONFIG;
				break;
			}
			t = def_get(rd, p + j + 1, k - j - 1, &call);
			if (!t) {
				buf_setf(rd->err,
				    "%s:%u:%u: unknown name '%.*s'", rd->path,
				    line, col0 + (unsigned)j, (int)(k - j - 1),
				    p + j + 1);
				rc = DW_ECONFIG;
				break;
			}
			src_add(s, "(?:", 3, line, col0 + (unsigned)j, 1);
			src_add(s, t, strlen(t), line, col0 + (unsigned)j, 1);
			src_add(s, ")", 1, line, col0 + (unsigned)j, 1);
			i = k + 1;
			continue;
		}
		src_add(s, p + j, 1, line, col0 + (unsigned)j, 0);
		i = j + 1;
	}
	buf_release(&call);
	return rc;
}

static pcre2_code *
compile_src(struct recog_src *s, const struct recog_reader *rd, struct buf *err,
    uint32_t extra)
{
	size_t own = s->text.len;
	int ec;
	PCRE2_SIZE off;
	pcre2_code *code;
	PCRE2_UCHAR msg[256];
	size_t at;

	add_lists(s, rd);
	code = pcre2_compile((PCRE2_SPTR)s->text.data, s->text.len,
	    PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_EXTENDED |
	        PCRE2_CASELESS | PCRE2_DUPNAMES | extra,
	    &ec, &off, NULL);
	/* The defines stay without their lists: patterns add them once. */
	s->text.len = own;
	s->text.data[own] = '\0';
	if (code)
		return code;
	pcre2_get_error_message(ec, msg, sizeof(msg));
	at = off < s->text.len ? off : (s->text.len ? s->text.len - 1 : 0);
	buf_setf(err, "%s:%u:%u: %s", rd->path, s->text.len ? s->line[at] : 0,
	    s->text.len ? s->col[at] : 0, (const char *)msg);
	return NULL;
}

/*
 * A list becomes one regex shaped as a trie of its aliases, so a word that
 * starts no alias fails at its first character instead of once per alias:
 * "dollar|dollars|dlrs" is "d(?:ollar(?:s)?|lrs)".
 */
struct tnode {
	char unit[16]; /* the regex of one alias character */
	int end;       /* an alias ends here */
	struct tnode **kids;
	size_t nkids;
};

/* The regex for the alias character at a[*i], advancing *i. */
static void
alias_unit(char out[16], const char *a, size_t n, size_t *i, int cased)
{
	unsigned char c = (unsigned char)a[*i];
	size_t k = 1;

	if (c == ' ')
		snprintf(out, 16, "[\\s-]+");
	else if (c == '.')
		snprintf(out, 16, "\\s?\\.");
	else if (c == '-')
		snprintf(out, 16, "[\\s-]?");
	else if (isalnum(c))
		snprintf(out, 16, "%c", cased ? c : tolower(c));
	else if (c >= 0x80) {
		while (*i + k < n && k < 4 &&
		    ((unsigned char)a[*i + k] & 0xC0) == 0x80)
			k++;
		memcpy(out, a + *i, k);
		out[k] = '\0';
	} else
		snprintf(out, 16, "\\%c", c);
	*i += k;
}

static void
trie_add(struct tnode *root, const char *a, size_t n, int cased)
{
	struct tnode *node = root;
	size_t i = 0;

	while (i < n) {
		char u[16];
		struct tnode *kid = NULL;

		alias_unit(u, a, n, &i, cased);
		for (size_t k = 0; k < node->nkids; k++)
			if (strcmp(node->kids[k]->unit, u) == 0)
				kid = node->kids[k];
		if (!kid) {
			kid = xcalloc(1, sizeof(*kid));
			memcpy(kid->unit, u, sizeof(kid->unit));
			node->kids = xreallocarray(node->kids, node->nkids + 1,
			    sizeof(*node->kids));
			node->kids[node->nkids++] = kid;
		}
		node = kid;
	}
	node->end = 1;
}

static void
trie_emit(struct buf *b, const struct tnode *node)
{
	if (!node->nkids)
		return;
	buf_adds(b, node->end || node->nkids > 1 ? "(?:" : "");
	for (size_t k = 0; k < node->nkids; k++) {
		if (k)
			buf_addch(b, '|');
		buf_adds(b, node->kids[k]->unit);
		trie_emit(b, node->kids[k]);
	}
	if (node->end)
		buf_adds(b, ")?");
	else if (node->nkids > 1)
		buf_addch(b, ')');
}

/*
 * "(?=[dD$...])": the first characters of the aliases as one class, so a
 * list that cannot start here fails at one test instead of one per
 * branch. Left out when a first unit is more than a character.
 */
static void
trie_guard(struct buf *b, const struct tnode *root)
{
	struct buf cls = BUF_INIT;

	for (size_t k = 0; k < root->nkids; k++) {
		const char *u = root->kids[k]->unit;
		size_t n = strlen(u);

		if (n == 1 && isalnum((unsigned char)u[0]))
			buf_addch(&cls, u[0]);
		else if (n == 2 && u[0] == '\\')
			buf_add(&cls, u, 2);
		else if ((unsigned char)u[0] >= 0x80)
			buf_add(&cls, u, n);
		else {
			buf_release(&cls);
			return;
		}
	}
	if (cls.len) {
		buf_adds(b, "(?=[");
		buf_add(b, cls.data, cls.len);
		buf_adds(b, "])");
	}
	buf_release(&cls);
}

static void
trie_free(struct tnode *node)
{
	for (size_t k = 0; k < node->nkids; k++) {
		trie_free(node->kids[k]);
		free(node->kids[k]);
	}
	free(node->kids);
}

/* Build the list's regex once all entries are read. */
static void
list_finish(struct recog_list *l, struct span *aliases, size_t na)
{
	struct buf b = BUF_INIT;
	struct tnode root;

	memset(&root, 0, sizeof(root));
	for (size_t i = 0; i < na; i++)
		trie_add(&root, aliases[i].p, aliases[i].len, l->cased);
	buf_adds(&b, l->cased ? "(?-i:" : "(?i:");
	if (na) {
		trie_guard(&b, &root);
		trie_emit(&b, &root);
	} else
		buf_adds(&b, "(*FAIL)");
	buf_addch(&b, ')');
	trie_free(&root);
	l->regex = buf_detach(&b, NULL);
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), entry_cmp);
}

static struct span
trim(struct span s)
{
	while (s.len && isspace((unsigned char)s.p[0])) {
		s.p++;
		s.len--;
	}
	while (s.len && isspace((unsigned char)s.p[s.len - 1]))
		s.len--;
	return s;
}

static int
kind_parse(struct span w)
{
	if (span_eq(w, SPAN("money")))
		return RK_MONEY;
	if (span_eq(w, SPAN("percent")))
		return RK_PERCENT;
	if (span_eq(w, SPAN("date")))
		return RK_DATE;
	if (span_eq(w, SPAN("notdate")))
		return RK_NOTDATE;
	if (span_eq(w, SPAN("cue")))
		return RK_CUE;
	return 0;
}

/* Split off the next space-separated word of *s. */
static struct span
next_word(struct span *s)
{
	struct span w;

	*s = trim(*s);
	w.p = s->p;
	w.len = 0;
	while (w.len < s->len && !isspace((unsigned char)s->p[w.len]))
		w.len++;
	s->p += w.len;
	s->len -= w.len;
	return w;
}

enum block { B_NONE, B_LIST, B_DEFINE, B_PATTERN };

struct recog_state;
static int token_set(struct recog_reader *rd, struct span kv, unsigned line,
    unsigned col, struct recog_state *st);

struct recog_state {
	int block;
	struct recog_src src;
	char *name;
	int kind, prio;
	struct recog_gate gate[RECOG_MAX_GATES];
	int ngates;
	int gate_open; /* a start= was read: the next one opens a gate */
	int ncore;     /* core= read for the last gate: 0, 1 or 2 */
	unsigned line;
	struct span *aliases;
	size_t naliases, capaliases;
};

static int
block_end(struct recog_reader *rd, struct recog_state *st)
{
	struct recog *r = rd->r;
	int rc = DW_OK;

	if (st->block == B_LIST) {
		list_finish(&r->lists[r->nlists - 1], st->aliases,
		    st->naliases);
	} else if (st->block == B_DEFINE || st->block == B_PATTERN) {
		pcre2_code *code;

		if (!st->src.text.len) {
			buf_setf(rd->err, "%s:%u:1: empty %s", rd->path,
			    st->line,
			    st->block == B_DEFINE ? "define" : "pattern");
			rc = DW_ECONFIG;
			goto out;
		}
		/* A define is checked alone so its mistakes point into it. */
		/* Patterns are tried at chosen token starts: anchored. */
		code = compile_src(&st->src, rd, rd->err,
		    st->block == B_PATTERN ? PCRE2_ANCHORED : 0);
		if (!code) {
			rc = DW_ECONFIG;
			goto out;
		}
		if (st->block == B_DEFINE) {
			pcre2_code_free(code);
			rd->defs = xreallocarray(rd->defs, rd->ndefs + 1,
			    sizeof(*rd->defs));
			rd->defs[rd->ndefs].name = st->name;
			rd->defs[rd->ndefs].text = xstrdup(st->src.text.data);
			rd->ndefs++;
			st->name = NULL;
		} else {
			struct recog_pattern *p;

			/* JIT-compiled when first tried: recog_jit() */
			r->pats = xreallocarray(r->pats, r->npats + 1,
			    sizeof(*r->pats));
			p = &r->pats[r->npats++];
			p->name = st->name;
			p->kind = st->kind;
			p->prio = st->prio;
			p->ngates = st->ngates;
			p->start = 0;
			for (int g = 0; g < st->ngates; g++) {
				p->gate[g] = st->gate[g];
				p->start |= st->gate[g].start;
			}
			p->code = code;
			p->md = NULL; /* made at open, see recog_open */
			p->line = st->line;
			st->name = NULL;
		}
	}
out:
	free(st->name);
	st->name = NULL;
	buf_reset(&st->src.text);
	st->naliases = 0;
	st->block = B_NONE;
	return rc;
}

static int
list_entry(struct recog_reader *rd, struct recog_state *st, struct span l,
    unsigned line)
{
	struct recog_list *lst = &rd->r->lists[rd->r->nlists - 1];
	const char *arrow = NULL;
	struct span lhs, val;
	char key[256];

	for (size_t i = 0; i + 1 < l.len; i++)
		if (l.p[i] == '=' && l.p[i + 1] == '>') {
			arrow = l.p + i;
			break;
		}
	if (!arrow) {
		buf_setf(rd->err, "%s:%u:1: list entry without '=>'", rd->path,
		    line);
		return DW_ECONFIG;
	}
	lhs = (struct span){ l.p, (size_t)(arrow - l.p) };
	val = trim((struct span){ arrow + 2, l.len - (lhs.len + 2) });
	while (lhs.len) {
		size_t k = 0;
		struct span a;

		while (k < lhs.len && lhs.p[k] != '|')
			k++;
		a = trim((struct span){ lhs.p, k });
		if (a.len) {
			if (a.len >= sizeof(key)) {
				buf_setf(rd->err, "%s:%u:1: alias too long",
				    rd->path, line);
				return DW_ECONFIG;
			}
			recog_norm(key, sizeof(key), a.p, a.len, lst->cased);
			lst->v =
			    xreallocarray(lst->v, lst->n + 1, sizeof(*lst->v));
			lst->v[lst->n].key = xstrdup(key);
			lst->v[lst->n].value = xstrndup(val.p, val.len);
			lst->n++;
			if (st->naliases == st->capaliases) {
				st->capaliases = st->capaliases * 2 + 16;
				st->aliases = xreallocarray(st->aliases,
				    st->capaliases, sizeof(*st->aliases));
			}
			st->aliases[st->naliases++] = a;
			if (rd->r->nlists - 1 < RECOG_MAX_LISTS)
				word_add(rd->r, a.p, a.len,
				    (uint64_t)1 << (rd->r->nlists - 1));
		}
		lhs.p += k < lhs.len ? k + 1 : k;
		lhs.len -= k < lhs.len ? k + 1 : k;
	}
	return DW_OK;
}

static int
directive(struct recog_reader *rd, struct recog_state *st, struct span l,
    unsigned line)
{
	struct span rest = l, w = next_word(&rest), name;
	int rc;

	rc = block_end(rd, st);
	if (rc != DW_OK)
		return rc;
	st->line = line;
	name = next_word(&rest);
	if (!name.len) {
		buf_setf(rd->err, "%s:%u:%zu: '%.*s' needs a name", rd->path,
		    line, w.len + 2, (int)w.len, w.p);
		return DW_ECONFIG;
	}
	if (span_eq(w, SPAN("list"))) {
		struct recog_list *lst;
		struct span opt = next_word(&rest);

		rd->r->lists = xreallocarray(rd->r->lists, rd->r->nlists + 1,
		    sizeof(*rd->r->lists));
		lst = &rd->r->lists[rd->r->nlists++];
		memset(lst, 0, sizeof(*lst));
		lst->name = xstrndup(name.p, name.len);
		if (opt.len && !span_eq(opt, SPAN("cased"))) {
			buf_setf(rd->err,
			    "%s:%u:%zu: unknown list option '%.*s'", rd->path,
			    line, (size_t)(opt.p - l.p) + 1, (int)opt.len,
			    opt.p);
			return DW_ECONFIG;
		}
		lst->cased = opt.len > 0;
		st->block = B_LIST;
		return DW_OK;
	}
	if (span_eq(w, SPAN("define"))) {
		st->block = B_DEFINE;
		st->name = xstrndup(name.p, name.len);
		rest = trim(rest);
		if (rest.len)
			return expand_line(&st->src, rd, rest.p, rest.len, line,
			    (unsigned)(rest.p - l.p) + 1);
		return DW_OK;
	}
	/* pattern KIND NAME [PRIO] [start=SET] [core=SET] */
	{
		struct span pname = next_word(&rest), prio = next_word(&rest);
		struct span kv;

		st->ngates = 1;
		st->gate[0].start = st->gate[0].core = RECOG_T_ANY;
		st->gate[0].core2 = RECOG_T_ANY;
		st->gate[0].near = st->gate[0].near2 = 3;
		st->gate[0].then = st->gate[0].prev = 0;
		st->ncore = 0;
		st->gate_open = 0; /* the next start= fills gate 0 */
		while ((kv = next_word(&rest)).len) {
			rc = token_set(rd, kv, line, (unsigned)(kv.p - l.p) + 1,
			    st);
			if (rc != DW_OK)
				return rc;
		}
		st->kind = kind_parse(name);
		if (!st->kind) {
			buf_setf(rd->err,
			    "%s:%u:%zu: unknown pattern kind '%.*s'", rd->path,
			    line, (size_t)(name.p - l.p) + 1, (int)name.len,
			    name.p);
			return DW_ECONFIG;
		}
		if (!pname.len) {
			buf_setf(rd->err, "%s:%u:%zu: pattern needs a name",
			    rd->path, line, l.len + 1);
			return DW_ECONFIG;
		}
		st->prio = 0;
		if (prio.len) {
			char *end;
			char tmp[16];

			if (prio.len >= sizeof(tmp)) {
				buf_setf(rd->err, "%s:%u:%zu: bad priority",
				    rd->path, line, (size_t)(prio.p - l.p) + 1);
				return DW_ECONFIG;
			}
			memcpy(tmp, prio.p, prio.len);
			tmp[prio.len] = '\0';
			st->prio = (int)strtol(tmp, &end, 10);
			if (*end) {
				buf_setf(rd->err, "%s:%u:%zu: bad priority",
				    rd->path, line, (size_t)(prio.p - l.p) + 1);
				return DW_ECONFIG;
			}
		}
		st->block = B_PATTERN;
		st->name = xstrndup(pname.p, pname.len);
	}
	return DW_OK;
}

/* "start=#digit,numword,month": token classes by list name. */
static int
token_set(struct recog_reader *rd, struct span kv, unsigned line, unsigned col,
    struct recog_state *st)
{
	uint64_t mask = 0, *dst;
	size_t i = 0;

	if (kv.len == 6 && memcmp(kv.p, "near=", 5) == 0) {
		static const char reach[] = "0136";
		const char *at = memchr(reach, kv.p[5], 4);

		if (!at) {
			buf_setf(rd->err, "%s:%u:%u: near= takes 0, 1, 3 or 6",
			    rd->path, line, col);
			return DW_ECONFIG;
		}
		if (st->ncore == 2)
			st->gate[st->ngates - 1].near2 = (int)(at - reach);
		else
			st->gate[st->ngates - 1].near = (int)(at - reach);
		return DW_OK;
	}
	if (kv.len > 6 && memcmp(kv.p, "start=", 6) == 0) {
		/* Each start= after the first opens another gate. */
		if (st->gate_open) {
			if (st->ngates == RECOG_MAX_GATES) {
				buf_setf(rd->err,
				    "%s:%u:%u: more than %d start= in a "
				    "pattern",
				    rd->path, line, col, RECOG_MAX_GATES);
				return DW_ECONFIG;
			}
			st->gate[st->ngates].core = RECOG_T_ANY;
			st->gate[st->ngates].core2 = RECOG_T_ANY;
			st->gate[st->ngates].near = 3;
			st->gate[st->ngates].near2 = 3;
			st->gate[st->ngates].then = 0;
			st->gate[st->ngates].prev = 0;
			st->ngates++;
			st->ncore = 0;
		}
		st->gate_open = 1;
		dst = &st->gate[st->ngates - 1].start;
		i = 6;
	} else if (kv.len > 5 && memcmp(kv.p, "core=", 5) == 0) {
		/* A second core= in a gate is a second condition. */
		if (st->ncore == 2) {
			buf_setf(rd->err,
			    "%s:%u:%u: more than 2 core= in a gate", rd->path,
			    line, col);
			return DW_ECONFIG;
		}
		dst = st->ncore++ ? &st->gate[st->ngates - 1].core2
		                  : &st->gate[st->ngates - 1].core;
		i = 5;
	} else if (kv.len > 5 && memcmp(kv.p, "then=", 5) == 0) {
		dst = &st->gate[st->ngates - 1].then;
		i = 5;
	} else if (kv.len > 5 && memcmp(kv.p, "prev=", 5) == 0) {
		dst = &st->gate[st->ngates - 1].prev;
		i = 5;
	} else {
		buf_setf(rd->err,
		    "%s:%u:%u: expected start=, core=, then= or prev=",
		    rd->path, line, col);
		return DW_ECONFIG;
	}
	while (i < kv.len) {
		size_t j = i, k;
		int found = 0;

		while (j < kv.len && kv.p[j] != ',')
			j++;
		if (j - i == 6 && memcmp(kv.p + i, "#digit", 6) == 0) {
			mask |= RECOG_T_DIGIT;
			found = 1;
		} else if (j - i == 7 && memcmp(kv.p + i, "#symbol", 7) == 0) {
			mask |= RECOG_T_SYMBOL;
			found = 1;
		} else if (j - i == 8 && memcmp(kv.p + i, "#percent", 8) == 0) {
			mask |= RECOG_T_PERCENT;
			found = 1;
		} else if (j - i == 6 && memcmp(kv.p + i, "#punct", 6) == 0) {
			mask |= RECOG_T_PUNCT;
			found = 1;
		} else if (j - i == 5 && memcmp(kv.p + i, "#year", 5) == 0) {
			mask |= RECOG_T_YEAR;
			found = 1;
		} else if (j - i == 4 && memcmp(kv.p + i, "#day", 4) == 0) {
			mask |= RECOG_T_DAY;
			found = 1;
		} else if (j - i == 5 && memcmp(kv.p + i, "#dsep", 5) == 0) {
			mask |= RECOG_T_DSEP;
			found = 1;
		} else if (j - i == 8 && memcmp(kv.p + i, "#ordinal", 8) == 0) {
			mask |= RECOG_T_ORD;
			found = 1;
		}
		for (k = 0; !found && k < rd->r->nlists && k < RECOG_MAX_LISTS;
		     k++)
			if (strlen(rd->r->lists[k].name) == j - i &&
			    memcmp(rd->r->lists[k].name, kv.p + i, j - i) ==
			        0) {
				mask |= (uint64_t)1 << k;
				found = 1;
			}
		if (!found) {
			buf_setf(rd->err,
			    "%s:%u:%zu: unknown token class '%.*s'", rd->path,
			    line, col + i, (int)(j - i), kv.p + i);
			return DW_ECONFIG;
		}
		i = j + 1;
	}
	*dst = mask;
	return DW_OK;
}

static int
is_directive(struct span l)
{
	struct span w = l;

	w = next_word(&w);
	return span_eq(w, SPAN("list")) || span_eq(w, SPAN("define")) ||
	    span_eq(w, SPAN("pattern"));
}

static int
read_file(struct recog_reader *rd, const struct rule_file *f)
{
	struct recog_state st;
	unsigned line = 0;
	int rc = DW_OK;

	memset(&st, 0, sizeof(st));
	st.src.text = (struct buf)BUF_INIT;
	rd->path = f->path;
	for (size_t pos = 0; pos < f->len && rc == DW_OK;) {
		const char *nl = memchr(f->data + pos, '\n', f->len - pos);
		size_t end = nl ? (size_t)(nl - f->data) : f->len;
		struct span l = { f->data + pos, end - pos }, t;

		line++;
		pos = end + 1;
		if (l.len > RECOG_MAX_LINE) {
			buf_setf(rd->err, "%s:%u:1: line longer than %d bytes",
			    f->path, line, RECOG_MAX_LINE);
			rc = DW_ECONFIG;
			break;
		}
		if (l.len && l.p[l.len - 1] == '\r')
			l.len--;
		t = trim(l);
		if (!t.len || t.p[0] == '#')
			continue;
		if (!isspace((unsigned char)l.p[0]) && is_directive(l)) {
			rc = directive(rd, &st, l, line);
			continue;
		}
		switch (st.block) {
		case B_LIST:
			rc = list_entry(rd, &st, t, line);
			break;
		case B_DEFINE:
		case B_PATTERN:
			if (!isspace((unsigned char)l.p[0])) {
				buf_setf(rd->err,
				    "%s:%u:1: expected an indented line or "
				    "'list', 'define' or 'pattern'",
				    f->path, line);
				rc = DW_ECONFIG;
				break;
			}
			rc = expand_line(&st.src, rd, t.p, t.len, line,
			    (unsigned)(t.p - l.p) + 1);
			break;
		default:
			buf_setf(rd->err,
			    "%s:%u:1: expected 'list', 'define' or 'pattern'",
			    f->path, line);
			rc = DW_ECONFIG;
		}
	}
	if (rc == DW_OK)
		rc = block_end(rd, &st);
	free(st.name);
	free(st.aliases);
	src_release(&st.src);
	return rc;
}

int
recog__compile(struct recog *r, const struct rule_files *rf, struct buf *err)
{
	struct recog_reader rd = { r, NULL, 0, NULL, err };
	int rc = DW_OK;

	for (size_t i = 0; i < countof(recog_files) && rc == DW_OK; i++) {
		const struct rule_file *f = rule_files_get(rf, recog_files[i]);

		if (!f) {
			buf_setf(err, "%s/%s: missing rule file",
			    rf->origin ? rf->origin : "rules", recog_files[i]);
			rc = DW_ECONFIG;
			break;
		}
		rc = read_file(&rd, f);
	}
	index_lists(r);
	rests_group(r);
	tails_group(r);
	for (size_t i = 0; i < rd.ndefs; i++) {
		free(rd.defs[i].name);
		free(rd.defs[i].text);
	}
	free(rd.defs);
	return rc;
}

void
recog__release(struct recog *r)
{
	for (size_t i = 0; i < r->nlists; i++) {
		struct recog_list *l = &r->lists[i];

		for (size_t j = 0; j < l->n; j++) {
			free(l->v[j].key);
			free(l->v[j].value);
		}
		free(l->v);
		free(l->name);
		free(l->regex);
	}
	free(r->lists);
	free(r->kslots);
	free(r->words);
	free(r->wtag);
	for (size_t i = 0; i < r->nrests; i++)
		free(r->rests[i].key);
	free(r->rests);
	free(r->rgrp);
	free(r->pair2);
	for (size_t i = 0; i < r->ntails; i++)
		free(r->tails[i].key);
	free(r->tails);
	for (size_t i = 0; i < r->npats; i++) {
		pcre2_code_free(r->pats[i].code);
		free(r->pats[i].name);
	}
	free(r->pats);
	free(r->jit_done);
}
