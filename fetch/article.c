/*
 * article.c: placeholder until the HTML article extractor lands.
 */
#include "fetch/fetch.h"

int
fetch_article_extract(struct article_page *out, struct span html,
    const char *url, struct arena *a, struct buf *err)
{
	(void)out;
	(void)html;
	(void)a;
	buf_setf(err, "cannot read HTML article '%s': not implemented yet",
	    url ? url : "(input)");
	return DW_EPARSE;
}
