/*
 * extract.c: placeholder extractor until the recognizers and deal rules
 * land: it compiles no rules and finds nothing.
 */
#include <stdlib.h>

#include "extract/extract.h"

struct extractor {
	int unused;
};

int
extractor_open(struct extractor **out, const struct rule_files *rf,
    struct buf *err)
{
	(void)rf;
	(void)err;
	*out = xcalloc(1, sizeof(**out));
	return DW_OK;
}

void
extractor_free(struct extractor *x)
{
	free(x);
}

int
extract_entities(struct entity_list *out, const struct extractor *x,
    struct span text, const char *published, struct arena *a,
    struct buf *err)
{
	(void)x;
	(void)text;
	(void)published;
	(void)a;
	(void)err;
	out->v = NULL;
	out->n = 0;
	return DW_OK;
}

int
extract_deals(struct deal_list *out, const struct extractor *x,
    struct span text, const char *published, struct arena *a,
    struct buf *err)
{
	(void)x;
	(void)text;
	(void)published;
	(void)a;
	(void)err;
	out->v = NULL;
	out->n = 0;
	return DW_OK;
}

void
extract_deal_json(struct buf *b, const struct deal *d, struct span text)
{
	(void)d;
	(void)text;
	buf_adds(b, "{}");
}

void
extract_entity_json(struct buf *b, const struct entity *e, struct span text)
{
	(void)e;
	(void)text;
	buf_adds(b, "{}");
}
