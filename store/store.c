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
