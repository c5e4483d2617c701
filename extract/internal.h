/*
 * internal.h: the parts of extract/ and how extract.c composes them.
 * recog.c finds money, percentages and dates; parties.c finds companies;
 * deals.c turns entities and deal rules into deals.
 */
#ifndef DW_EXTRACT_INTERNAL_H
#define DW_EXTRACT_INTERNAL_H

#include "extract/extract.h"

/*
 * Recognizers: money, percentages, dates. Rules come from rule files (see
 * the README); a mistake is DW_ECONFIG with "path:line:col: message".
 */
struct recog;
int recog_open(struct recog **out, const struct rule_files *rf,
    struct buf *err);
void recog_free(struct recog *r);
/* Append ENT_MONEY, ENT_PERCENT and ENT_DATE entities, sorted by start,
 * non-overlapping, into out (allocated in a). */
int recog_scan(struct entity_list *out, const struct recog *r,
    struct span text, const char *published, struct arena *a,
    struct buf *err);

/*
 * Parties: the entity list, descriptors ("the ChatGPT maker") and tickers.
 */
struct parties;
int parties_open(struct parties **out, const struct rule_files *rf,
    struct buf *err);
void parties_free(struct parties *p);
/* ENT_PARTY entities in text, sorted by start, into out (in a). */
int parties_scan(struct entity_list *out, const struct parties *p,
    struct span text, struct arena *a, struct buf *err);

/*
 * Deal rules.
 */
struct dealrules;
int dealrules_open(struct dealrules **out, const struct rule_files *rf,
    struct buf *err);
void dealrules_free(struct dealrules *d);
int dealrules_apply(struct deal_list *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct entity_list *ents,
    const char *published, struct arena *a, struct buf *err);

struct extractor {
	struct recog *recog;
	struct parties *parties;
	struct dealrules *deals;
};

#endif
