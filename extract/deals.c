/*
 * deals.c: placeholder until the real dealrules land: compiles nothing,
 * finds nothing.
 */
#include <stdlib.h>

#include "extract/internal.h"

struct dealrules {
	int unused;
};

int
dealrules_open(struct dealrules **out, const struct rule_files *rf,
    struct buf *err)
{
	(void)rf;
	(void)err;
	*out = xcalloc(1, sizeof(**out));
	return DW_OK;
}

void
dealrules_free(struct dealrules *p)
{
	free(p);
}

int
dealrules_apply(struct deal_list *out, const struct dealrules *d,
    const struct parties *p, struct span text, const struct entity_list *ents,
    const char *published, struct arena *a, struct buf *err)
{
	(void)d;
	(void)p;
	(void)text;
	(void)ents;
	(void)published;
	(void)a;
	(void)err;
	out->v = NULL;
	out->n = 0;
	return DW_OK;
}
