/*
 * test_article.c: the HTML article extractor against the pages in
 * tests/data/pages (each NAME.html with NAME.expect: title, canonical,
 * published date, every body paragraph in order, and text that must not
 * appear), and against hostile input.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fetch/fetch.h"

/* The page's URL as the tests fetch it, for relative links. */
#define PAGE_URL "https://news.example/a/b.html"

static const char *
pages_dir(void)
{
	static const char *const tries[] = { "tests/data/pages",
		"../tests/data/pages", "../../tests/data/pages" };
	const char *top = getenv("TOP");
	static char buf[4096];
	DIR *d;

	if (top) {
		snprintf(buf, sizeof(buf), "%s/tests/data/pages", top);
		return buf;
	}
	for (size_t i = 0; i < countof(tries); i++) {
		d = opendir(tries[i]);
		if (d) {
			closedir(d);
			return tries[i];
		}
	}
	return tries[0];
}

/* Check one page; print what differs; return the number of problems. */
static int
check_page(const char *dir, const char *name)
{
	struct buf html = BUF_INIT, exp = BUF_INIT, err = BUF_INIT;
	struct buf path = BUF_INIT, want = BUF_INIT;
	struct article_page p;
	struct arena a;
	int bad = 0;
	char *line, *save = NULL;

	arena_init(&a, 0);
	buf_addf(&path, "%s/%s.html", dir, name);
	assert_int_equal(file_read(&html, path.data, 1 << 24, &err), DW_OK);
	buf_reset(&path);
	buf_addf(&path, "%s/%s.expect", dir, name);
	assert_int_equal(file_read(&exp, path.data, 1 << 20, &err), DW_OK);
	assert_int_equal(fetch_article_extract(&p, buf_span(&html), PAGE_URL,
	                     &a, &err),
	    DW_OK);
	for (line = strtok_r(exp.data, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *v = strchr(line, ' ') ? strchr(line, ' ') + 1 : "";

		if (strncmp(line, "title: ", 7) == 0 &&
		    (!p.title || strcmp(p.title, v) != 0)) {
			printf("%s: title '%s', want '%s'\n", name,
			    p.title ? p.title : "(none)", v);
			bad++;
		} else if (strncmp(line, "canonical: ", 11) == 0 &&
		    (!p.canonical || strcmp(p.canonical, v) != 0)) {
			printf("%s: canonical '%s', want '%s'\n", name,
			    p.canonical ? p.canonical : "(none)", v);
			bad++;
		} else if (strncmp(line, "published: ", 11) == 0 &&
		    (!p.published || strncmp(p.published, v, 10) != 0)) {
			printf("%s: published '%s', want '%s'\n", name,
			    p.published ? p.published : "(none)", v);
			bad++;
		} else if (strncmp(line, "body: ", 6) == 0) {
			if (want.len)
				buf_addch(&want, '\n');
			buf_adds(&want, v);
		} else if (strncmp(line, "not: ", 5) == 0 &&
		    strstr(p.text, v)) {
			printf("%s: text holds '%s'\n", name, v);
			bad++;
		}
	}
	/* Every body paragraph, in order, and nothing else. */
	if (strcmp(p.text, want.data) != 0) {
		printf("%s: text\n--- got\n%s\n--- want\n%s\n", name, p.text,
		    want.data);
		bad++;
	}
	buf_release(&html);
	buf_release(&exp);
	buf_release(&err);
	buf_release(&path);
	buf_release(&want);
	arena_release(&a);
	return bad;
}

static void
test_article_pages_hold_body_and_nothing_else(void **state)
{
	const char *dir = pages_dir();
	DIR *d = opendir(dir);
	struct dirent *e;
	int pages = 0, bad = 0;

	(void)state;
	assert_non_null(d);
	while ((e = readdir(d)) != NULL) {
		size_t n = strlen(e->d_name);
		char name[256];

		if (n < 8 || n >= sizeof(name) ||
		    strcmp(e->d_name + n - 7, ".expect") != 0)
			continue;
		memcpy(name, e->d_name, n - 7);
		name[n - 7] = '\0';
		bad += check_page(dir, name);
		pages++;
	}
	closedir(d);
	printf("article pages: %d, problems: %d\n", pages, bad);
	assert_true(pages >= 20);
	assert_int_equal(bad, 0);
}

static void
extract(const char *html, struct article_page *p, struct arena *a)
{
	struct buf err = BUF_INIT;

	assert_int_equal(fetch_article_extract(p, span_cstr(html), NULL, a,
	                     &err),
	    DW_OK);
	buf_release(&err);
}

static void
test_article_dates_in_other_spellings(void **state)
{
	struct article_page p;
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	extract("<html><head><meta name=\"pubdate\" content=\"Tue, 04 Mar "
	        "2025 23:10:00 GMT\"></head><body><p>Text.</p></body></html>",
	    &p, &a);
	assert_string_equal(p.published, "2025-03-04T23:10:00Z");
	/* A date that is no date is no date. */
	extract("<html><head><meta property=\"article:published_time\" "
	        "content=\"2025-02-30\"></head><body><p>x</p></body></html>",
	    &p, &a);
	assert_null(p.published);
	/* JSON-LD: the article's date, not the page's. */
	extract("<script type=\"application/ld+json\">{\"@graph\":["
	        "{\"@type\":\"WebPage\",\"datePublished\":\"2020-01-01\"},"
	        "{\"@type\":[\"NewsArticle\"],\"datePublished\":"
	        "\"2025-06-01T10:00:00+02:00\"}]}</script><p>x</p>",
	    &p, &a);
	assert_string_equal(p.published, "2025-06-01T10:00:00+02:00");
	arena_release(&a);
}

static void
test_article_plain_text_and_empty(void **state)
{
	struct buf err = BUF_INIT;
	struct article_page p;
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	assert_int_equal(fetch_article_extract(&p, span_cstr(""), "x.html", &a,
	                     &err),
	    DW_EPARSE);
	assert_non_null(strstr(err.data, "'x.html'"));
	buf_release(&err);
	extract("no markup at all, just words", &p, &a);
	assert_string_equal(p.text, "no markup at all, just words");
	assert_null(p.title);
	arena_release(&a);
}

static void
test_article_hostile_nesting_is_bounded(void **state)
{
	struct buf h = BUF_INIT;
	struct article_page p;
	struct arena a;

	(void)state;
	arena_init(&a, 0);
	for (int i = 0; i < 20000; i++)
		buf_adds(&h, "<div><p>");
	buf_adds(&h, "deep");
	extract(h.data, &p, &a);
	assert_non_null(p.text);
	buf_reset(&h);
	/* Binary junk is not a crash either. */
	for (int i = 0; i < 4096; i++)
		buf_addch(&h, (i * 7919) & 0xff ? (i * 7919) & 0xff : 1);
	extract(h.data, &p, &a);
	buf_release(&h);
	arena_release(&a);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_article_pages_hold_body_and_nothing_else),
		cmocka_unit_test(test_article_dates_in_other_spellings),
		cmocka_unit_test(test_article_plain_text_and_empty),
		cmocka_unit_test(test_article_hostile_nesting_is_bounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
