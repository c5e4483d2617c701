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
	"gzip",
	"deflate",
	"x-gzip",
	" gzip ,identity",
	"gzip, gzip",
	"br",
	"identity",
	"",
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

/*
 * Under a 1 MiB cap a gzip body of up to 1016 bytes is held and decoded
 * whole by libdeflate: decoded as it comes instead (a cap of 1000 bytes),
 * a body it gives must be the same, and a failure of the held one the
 * same failure with the same message (or the smaller cap's). libdeflate
 * takes a few streams zlib refuses (more length or distance codes than
 * RFC 1951 allows): there only the held body succeeds.
 */
static void
same_as_streamed(const uint8_t *data, size_t size, size_t piece, int rc,
    const struct buf *out, const struct buf *err)
{
	struct buf out2 = BUF_INIT, err2 = BUF_INIT;
	int rc2 = fetch__unzip_run(codings[data[0] & 7], data + 2, size - 2,
	    piece, 1000, &out2, &err2);

	if (rc2 == DW_OK &&
	    (rc != DW_OK || out->len != out2.len ||
	        memcmp(out->data, out2.data, out->len) != 0))
		abort();
	if (rc != DW_OK && rc2 != DW_ETOOBIG &&
	    (rc2 != rc || strcmp(err->data, err2.data) != 0))
		abort();
	buf_release(&out2);
	buf_release(&err2);
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

		rc = fetch__unzip_run(b == 31 ? "gzip" : "deflate", z, n, piece,
		    (size_t)1 << 20, &out, &err);
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
		if (cap == (size_t)1 << 20)
			same_as_streamed(data, size, piece, rc, &out, &err);
	}
	buf_release(&out);
	buf_release(&err);
	return 0;
}
