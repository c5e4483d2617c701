/*
 * store.c: placeholder until the SQLite store lands.
 */
#include "store/store.h"

int
store_open(struct store **out, const char *path, struct buf *err)
{
	*out = NULL;
	buf_setf(err, "cannot open database '%s': store not implemented yet",
	    path);
	return DW_ERR;
}

void
store_close(struct store *s)
{
	(void)s;
}

int
store_article_put(struct store *s, const struct article_rec *a,
    const struct deal_list *deals, int *new_deals, int *updated_deals,
    struct buf *err)
{
	(void)s;
	(void)a;
	(void)deals;
	(void)new_deals;
	(void)updated_deals;
	buf_setf(err, "store not implemented yet");
	return DW_ERR;
}
