/*
 * parties.c: placeholder until the real parties land: compiles nothing,
 * finds nothing.
 */
#include <stdlib.h>

#include "extract/internal.h"

struct parties {
	int unused;
};

int
parties_open(struct parties **out, const struct rule_files *rf,
    struct buf *err)
{
	(void)rf;
	(void)err;
	*out = xcalloc(1, sizeof(**out));
	return DW_OK;
}

void
parties_free(struct parties *p)
{
	free(p);
}

int
parties_scan(struct entity_list *out, const struct parties *p,
    struct span text, struct arena *a, struct buf *err)
{
	(void)p;
	(void)text;
	(void)a;
	(void)err;
	out->v = NULL;
	out->n = 0;
	return DW_OK;
}
