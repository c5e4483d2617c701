/*
 * buf.c: growable, NUL-terminated byte buffers with a hard limit and a
 * sticky error, after git's strbuf and curl's dynbuf.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base.h"

char buf__empty[1];

void
buf_init(struct buf *b, size_t max)
{
	b->data = buf__empty;
	b->len = 0;
	b->cap = 0;
	b->max = max ? max : SIZE_MAX / 2;
	b->err = 0;
}

void
buf_release(struct buf *b)
{
	if (!b)
		return;
	if (b->cap)
		free(b->data);
	b->data = buf__empty;
	b->len = 0;
	b->cap = 0;
	b->err = 0;
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	b->err = 0;
	if (b->cap)
		b->data[0] = '\0';
}

int
buf_grow(struct buf *b, size_t extra)
{
	size_t max = b->max ? b->max : SIZE_MAX / 2;
	size_t need, cap;

	if (b->err)
		return b->err;
	if (extra > max || b->len > max - extra) {
		b->err = DW_ETOOBIG;
		return b->err;
	}
	need = b->len + extra + 1;
	if (need <= b->cap)
		return DW_OK;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 4 ? need : cap * 2;
	if (b->cap) {
		b->data = xrealloc(b->data, cap);
	} else {
		b->data = xmalloc(cap);
		b->data[0] = '\0';
	}
	b->cap = cap;
	return DW_OK;
}

int
buf_add(struct buf *b, const void *p, size_t n)
{
	if (n == 0)
		return b->err;
	/* buf_grow only when the room is not there (most appends) */
	if ((n >= b->cap - b->len || b->err ||
	        (b->max && b->len + n > b->max)) &&
	    buf_grow(b, n) != DW_OK)
		return b->err;
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return DW_OK;
}

int
buf_adds(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s));
}

int
buf_addch(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_add(b, &ch, 1);
}

int
buf_addspan(struct buf *b, struct span s)
{
	return buf_add(b, s.p, s.len);
}

static int
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	if (b->err)
		return b->err;
	va_copy(cp, ap);
	n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n < 0)
		return DW_ERR;
	if (buf_grow(b, (size_t)n) != DW_OK)
		return b->err;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return DW_OK;
}

int
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

int
buf_setf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	if (!b)
		return DW_OK;
	buf_reset(b);
	va_start(ap, fmt);
	rc = buf_vaddf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *
buf_detach(struct buf *b, size_t *len)
{
	char *p;

	if (!b->cap)
		p = xstrndup("", 0);
	else
		p = b->data;
	if (len)
		*len = b->len;
	b->data = buf__empty;
	b->len = 0;
	b->cap = 0;
	b->err = 0;
	return p;
}
