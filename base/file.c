/*
 * file.c: reading a whole file or standard input under a size limit.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base.h"

int
file_read(struct buf *b, const char *path, size_t max, struct buf *err)
{
	int is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	const char *name = is_stdin ? "(stdin)" : path;
	char chunk[65536];
	size_t n;
	int rc = DW_OK;

	if (!f) {
		rc =
		    errno == ENOENT || errno == ENOTDIR ? DW_ENOTFOUND : DW_EIO;
		buf_setf(err, "cannot open '%s': %s", path, strerror(errno));
		return rc;
	}
	buf_reset(b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > max) {
			buf_setf(err, "input '%s' is larger than %zu bytes",
			    name, max);
			rc = DW_ETOOBIG;
			goto out;
		}
		if (buf_add(b, chunk, n) != DW_OK) {
			buf_setf(err, "input '%s' is too large", name);
			rc = DW_ETOOBIG;
			goto out;
		}
	}
	if (ferror(f)) {
		buf_setf(err, "cannot read '%s': %s", name, strerror(errno));
		rc = DW_EIO;
	}
out:
	if (!is_stdin)
		fclose(f);
	return rc;
}
