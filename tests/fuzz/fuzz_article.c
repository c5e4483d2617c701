/*
 * fuzz_article.c: the HTML article extractor on arbitrary bytes. Every
 * result must be well formed: text present, dates starting YYYY-MM-DD.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf err = BUF_INIT;
	struct article_page p;
	struct arena a;
	int rc;

	arena_init(&a, (size_t)256 << 20);
	rc =
	    fetch_article_extract(&p, (struct span){ (const char *)data, size },
	        "https://news.example/a/b.html", &a, &err);
	if (rc == DW_OK) {
		if (!p.text)
			abort();
		(void)strlen(p.text);
		if (p.published &&
		    (strlen(p.published) < 10 || p.published[4] != '-' ||
		        p.published[7] != '-'))
			abort();
		if (p.canonical && !fetch_is_url(p.canonical))
			abort();
	} else if (err.len == 0) {
		abort();
	}
	buf_release(&err);
	arena_release(&a);
	return 0;
}
