/*
 * fuzz_opml.c: OPML on arbitrary bytes, and the feed links of the same
 * bytes read as a web page. Every URL found must be a non-empty string;
 * what OPML yields must survive being written and read back.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT, out = BUF_INIT;
	struct opml_outline *v, *w;
	struct arena a;
	char **links;
	size_t n, m, nl;
	struct span doc = { (const char *)data, size };

	arena_init(&a, (size_t)256 << 20);
	if (fetch_opml_parse(&v, &n, doc, "fuzz.opml", &a, &err) == DW_OK) {
		for (size_t i = 0; i < n; i++)
			if (!v[i].url || !*v[i].url)
				abort();
		fetch_opml_write(&out, "fuzz", v, n);
		if (fetch_opml_parse(&w, &m, buf_span(&out), "again", &a,
		        &err) != DW_OK)
			abort();
		/* writing drops control characters, so count what survives */
		if (m > n)
			abort();
	} else if (err.len == 0) {
		abort();
	}
	if (fetch_feed_discover(&links, &nl, doc, "https://site.example/a/",
	        &a) == DW_OK)
		for (size_t i = 0; i < nl; i++)
			if (!links[i] || !*links[i])
				abort();
	buf_release(&err);
	buf_release(&out);
	arena_release(&a);
	return 0;
}
