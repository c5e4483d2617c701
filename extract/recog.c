/*
 * recog.c: placeholder until the real recog land: compiles nothing,
 * finds nothing.
 */
#include <stdlib.h>

#include "extract/internal.h"

struct recog {
	int unused;
};

int
recog_open(struct recog **out, const struct rule_files *rf,
    struct buf *err)
{
	(void)rf;
	(void)err;
	*out = xcalloc(1, sizeof(**out));
	return DW_OK;
}

void
recog_free(struct recog *p)
{
	free(p);
}

int
recog_scan(struct entity_list *out, const struct recog *r, struct span text,
    const char *published, struct arena *a, struct buf *err)
{
	(void)r;
	(void)text;
	(void)published;
	(void)a;
	(void)err;
	out->v = NULL;
	out->n = 0;
	return DW_OK;
}
