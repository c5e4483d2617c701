/*
 * fuzz_unzip.c: a response body's content coding undone as a transfer's
 * write callback undoes it (fetch/http.c), on arbitrary bytes. The first
 * byte picks the Content-Encoding header and the size of the pieces the
 * body comes in, the second the cap. A body decoded must fit the cap, a
 * failure must say why. With the first byte's top bit set the rest is
 * plain text instead: coded here with zlib as gzip or deflate, it must
 * come back the same, whatever the pieces.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "fetch/internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const codings[] = {
	"gzip", "deflate", "x-gzip", " gzip ,identity", "gzip, gzip", "br",
	"identity", "",
};

/* p..p+n coded by zlib: gzip (bits 31) or zlib (15) or raw (-15). */
static unsigned char *
code(const uint8_t *p, size_t n, int bits, size_t *len)
{
	z_stream z;
	unsigned char *o;
	size_t cap = n + n / 100 + 64;

	memset(&z, 0, sizeof(z));
	if (deflateInit2(&z, 6, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY) !=
	    Z_OK)
		abort();
	o = malloc(cap);
	if (!o)
		abort();
	z.next_in = (Bytef *)(uintptr_t)p;
	z.avail_in = (uInt)n;
	z.next_out = o;
	z.avail_out = (uInt)cap;
	if (deflate(&z, Z_FINISH) != Z_STREAM_END)
		abort();
	*len = cap - z.avail_out;
	deflateEnd(&z);
	return o;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = BUF_INIT, err = BUF_INIT;
	size_t piece, cap;
	int rc;

	if (size < 2)
		return 0;
	piece = (size_t)(data[0] >> 3 & 7) * 37 + 1;
	cap = data[1] < 128 ? (size_t)data[1] * 64 + 1 : (size_t)1 << 20;
	if (data[0] & 0x80) {
		static const int bits[] = { 31, 15, -15, 31 };
		int b = bits[data[0] & 3];
		size_t n;
		unsigned char *z = code(data + 2, size - 2, b, &n);

		rc = fetch__unzip_run(b == 31 ? "gzip" : "deflate", z, n,
		    piece, (size_t)1 << 20, &out, &err);
		if (rc != DW_OK || out.len != size - 2 ||
		    memcmp(out.data ? out.data : "", data + 2, size - 2) != 0)
			abort();
		free(z);
	} else {
		rc = fetch__unzip_run(codings[data[0] & 7], data + 2, size - 2,
		    piece, cap, &out, &err);
		if (rc == DW_OK && out.len > cap)
			abort();
		if (rc != DW_OK && err.len == 0)
			abort();
	}
	buf_release(&out);
	buf_release(&err);
	return 0;
}
