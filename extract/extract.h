/*
 * extract.h: text in, entities and deals out. No I/O, no SQLite: the
 * caller hands in the text, the publication date and the compiled rules,
 * and gets arena-owned results back.
 */
#ifndef DW_EXTRACT_H
#define DW_EXTRACT_H

#include "base/base.h"

/* The largest article text extraction accepts, in bytes. */
#define EXTRACT_MAX_TEXT ((size_t)8 << 20)

enum entity_type {
	ENT_MONEY = 1,
	ENT_PERCENT,
	ENT_DATE,
	ENT_PARTY,
};

enum qualifier {
	Q_EXACT = 0,
	Q_UP_TO,
	Q_OVER,
	Q_ABOUT,
	Q_RANGE,
};

/* A money figure ("up to $10 billion"), also used for valuations. */
struct amount {
	double value;     /* whole currency units; for Q_RANGE the high end */
	double low, high; /* Q_RANGE only */
	char currency[4]; /* ISO 4217, NUL-terminated */
	int qualifier;    /* Q_* */
};

/* An ISO 8601 date at the precision the text gives. */
struct date {
	char value[11]; /* "2025", "2025-03" or "2025-03-14"; "" when none */
};

struct entity {
	int type;            /* ENT_* */
	size_t start, end;   /* byte offsets into the text, end exclusive */
	struct amount money; /* ENT_MONEY */
	double percent;      /* ENT_PERCENT: the value, or the high end */
	double pct_low, pct_high; /* ENT_PERCENT ranges; pct_range set */
	int pct_range;
	struct date date; /* ENT_DATE */
	const char *name; /* ENT_PARTY: canonical name, owned by extractor */
};

struct entity_list {
	struct entity *v; /* sorted by start; in the caller's arena */
	size_t n;
};

enum deal_type {
	DEAL_INVESTMENT = 1,
	DEAL_ACQUISITION,
	DEAL_MERGER,
	DEAL_STAKE,
	DEAL_SUPPLY,
	DEAL_PARTNERSHIP,
};

enum deal_status {
	ST_NONE = 0,
	ST_TALKS,
	ST_ANNOUNCED,
	ST_COMPLETED,
	ST_TERMINATED,
};

enum party_role {
	ROLE_INVESTOR = 1,
	ROLE_TARGET,
	ROLE_ACQUIRER,
	ROLE_PARTY,
	ROLE_HOLDER,
	ROLE_CUSTOMER,
	ROLE_SUPPLIER,
};

#define DEAL_MAX_PARTIES 8
#define DEAL_MAX_EVIDENCE 8

/* Byte offsets [start, end) into the article text. */
struct textref {
	size_t start, end;
};

struct party {
	int role;         /* ROLE_* */
	const char *name; /* canonical name; borrowed from extractor or arena */
};

struct deal {
	int type; /* DEAL_* */
	struct party parties[DEAL_MAX_PARTIES];
	size_t nparties;
	int has_amount;
	struct amount amount;
	struct textref amount_text;
	int has_stake;
	double stake; /* percent, 27 for "a 27% stake" */
	struct textref stake_text;
	int has_valuation;
	struct amount valuation;
	struct textref valuation_text;
	int status; /* ST_*; ST_NONE when the words say nothing */
	struct date date;
	struct textref date_text;
	struct textref evidence[DEAL_MAX_EVIDENCE];
	size_t nevidence;
};

struct deal_list {
	struct deal *v; /* in the caller's arena */
	size_t n;
};

/* Names as CONTRACT.md spells them, and back; unknown gives NULL or 0. */
const char *deal_type_name(int type);
int deal_type_parse(const char *s);
const char *deal_status_name(int status);
int deal_status_parse(const char *s);
const char *party_role_name(int role);
const char *qualifier_name(int q);

/*
 * The compiled rules: recognizers, entity list and deal rules. Built once
 * at start; each pattern is JIT-compiled when a text first needs it, so
 * an extractor is one thread's at a time (open one per thread).
 */
struct extractor;

/*
 * Compile every rule file. A mistake returns DW_ECONFIG with the message
 * "path:line:col: problem" in err, before any work. The caller frees the
 * result with extractor_free(); rf may be released after this returns.
 */
int extractor_open(struct extractor **out, const struct rule_files *rf,
    struct buf *err);
void extractor_free(struct extractor *x);

/*
 * Recognize money, percentages, dates and parties in text. published is
 * "YYYY-MM-DD" or NULL (relative dates are then left unresolved and not
 * reported). Results live in a. DW_ETOOBIG when the text or the arena
 * passed its limit, with a message.
 */
int extract_entities(struct entity_list *out, const struct extractor *x,
    struct span text, const char *published, struct arena *a, struct buf *err);

/*
 * Find the deals text reports. Results (and any names not in the entity
 * list) live in a. On success err may hold a warning: a deal rule passed
 * its PCRE2 match limit and was skipped on one sentence.
 */
int extract_deals(struct deal_list *out, const struct extractor *x,
    struct span text, const char *published, struct arena *a, struct buf *err);

/*
 * For rule authors: each sentence as the deal rules see it (tokens and
 * entity placeholders) and each rule that matched, as text into out.
 */
int extract_explain(struct buf *out, const struct extractor *x,
    struct span text, const char *published, struct arena *a, struct buf *err);

/* One deal as a CONTRACT.md JSON object (no id, sources or history). */
void extract_deal_json(struct buf *b, const struct deal *d, struct span text);
/* One entity as a CONTRACT.md `tag` JSON object. */
void extract_entity_json(struct buf *b, const struct entity *e,
    struct span text);

#endif
