/*
 * http.c: placeholder until the libcurl side lands.
 */
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

void
fetch_opts_init(struct fetch_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->connect_timeout = 10;
	o->timeout = 60;
	o->max_body = FETCH_MAX_BODY;
}

void
fetch_result_init(struct fetch_result *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->body, FETCH_MAX_BODY);
}

void
fetch_result_release(struct fetch_result *r)
{
	buf_release(&r->body);
	free(r->content_type);
	free(r->etag);
	free(r->last_modified);
	free(r->effective_url);
	free(r->permanent_url);
	memset(r, 0, sizeof(*r));
}

int
fetch_is_url(const char *s)
{
	return strncmp(s, "http://", 7) == 0 || strncmp(s, "https://", 8) == 0;
}

int
fetch_url(struct fetch_result *out, const char *url,
    const struct fetch_opts *o, struct buf *err)
{
	(void)out;
	(void)o;
	buf_setf(err, "cannot fetch '%s': http not implemented yet", url);
	return DW_ERR;
}
