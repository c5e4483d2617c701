/*
 * feed.c: placeholder until the feed parser lands.
 */
#include "fetch/fetch.h"

int
fetch_feed_parse(struct feed *out, struct span doc, const char *base_url,
    const char *content_type, struct arena *a, struct buf *err)
{
	(void)out;
	(void)doc;
	(void)base_url;
	(void)content_type;
	(void)a;
	buf_setf(err, "cannot parse feed: not implemented yet");
	return DW_EPARSE;
}
