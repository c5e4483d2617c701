/*
 * fuzz_feed.c: the feed parser on arbitrary bytes, whole and streamed in
 * pieces whose sizes the input picks, under one of a few Content-Types;
 * then every entry's text through fetch_html_to_text. What it returns must
 * be well formed: valid UTF-8, dates empty or "YYYY-MM-DDTHH:MM:SSZ".
 * (Streamed and whole may differ on broken XML: libxml2 recovers
 * differently at different piece boundaries.)
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/feed_internal.h"
#include "fetch/fetch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_text(const char *s)
{
	if (s && !feed__utf8_valid(s, strlen(s)))
		abort();
}

static void
check_date(const char *d)
{
	if (d[0] &&
	    (strlen(d) != 20 || d[4] != '-' || d[10] != 'T' || d[19] != 'Z'))
		abort();
}

static int
count(const struct feed_entry *e, void *arg)
{
	(void)e;
	(*(size_t *)arg)++;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const ctypes[] = { NULL, "application/rss+xml",
		"text/xml", "application/atom+xml; charset=iso-8859-1",
		"text/html; charset=utf-16" };
	struct buf err = BUF_INIT;
	struct feed f, g;
	struct arena a;
	const char *ct;
	size_t step, streamed = 0;
	int rc, rc2;

	if (size < 2)
		return 0;
	ct = ctypes[data[0] % countof(ctypes)];
	step = (size_t)data[1] * 7 + 1;
	data += 2;
	size -= 2;
	arena_init(&a, (size_t)256 << 20);
	rc = fetch_feed_parse(&f, (struct span){ (const char *)data, size },
	    "https://feed.example/dir/feed.xml", ct, &a, &err);
	if (rc == DW_OK) {
		check_text(f.title);
		check_text(f.link);
		check_text(f.id);
		for (size_t i = 0; i < f.nentries; i++) {
			const struct feed_entry *e = &f.entries[i];

			check_text(e->title);
			check_text(e->link);
			check_text(e->id);
			check_text(e->author);
			check_text(e->summary);
			check_text(e->content);
			check_date(e->published);
			check_date(e->updated);
			for (size_t j = 0; j < e->ncategories; j++)
				check_text(e->categories[j]);
			if (e->summary)
				check_text(fetch_html_to_text(e->summary,
				    strlen(e->summary), &a));
			if (e->content)
				check_text(fetch_html_to_text(e->content,
				    strlen(e->content), &a));
		}
		for (size_t i = 0; i < f.nwarnings; i++)
			check_text(f.warnings[i]);
	} else if (err.len == 0) {
		abort();
	}
	/* streamed in pieces, with the encoding it chose: the same entries */
	{
		struct feed_parser *p =
		    fetch_feed_parser_new("https://feed.example/dir/feed.xml",
		        rc == DW_OK ? f.encoding : NULL, count, &streamed,
		        NULL);

		rc2 = DW_OK;
		for (size_t off = 0; off < size && rc2 == DW_OK; off += step)
			rc2 =
			    fetch_feed_parser_push(p, (const char *)data + off,
			        MIN(step, size - off), 0, &err);
		if (rc2 == DW_OK)
			rc2 = fetch_feed_parser_push(p, "", 0, 1, &err);
		if (rc2 == DW_OK)
			rc2 = fetch_feed_parser_finish(p, &g, "fuzz", &err);
		if (rc2 == DW_OK && g.title)
			check_text(g.title);
		fetch_feed_parser_free(p);
	}
	buf_release(&err);
	arena_release(&a);
	return 0;
}
