/*
 * test_feed.c: the feed parser through fetch.h (formats, fields, links,
 * encodings, entities, hostile documents), dates and URLs through the
 * feed's internal header, OPML, feed discovery and HTML to text.
 */
/* clang-format off */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>
/* clang-format on */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fetch/feed_internal.h"
#include "fetch/fetch.h"

static int
setup(void **state)
{
	struct arena *a = malloc(sizeof(*a));

	arena_init(a, (size_t)512 << 20);
	*state = a;
	return 0;
}

static int
teardown(void **state)
{
	arena_release(*state);
	free(*state);
	return 0;
}

static int
parse(struct feed *f, const char *doc, const char *base, const char *ctype,
    struct arena *a)
{
	struct buf err = BUF_INIT;
	int rc = fetch_feed_parse(f, span_cstr(doc), base, ctype, a, &err);

	if (rc != DW_OK)
		print_message("error: %s\n", err.data);
	buf_release(&err);
	return rc;
}

static int
has_warning(const struct feed *f, const char *part)
{
	for (size_t i = 0; i < f->nwarnings; i++)
		if (strstr(f->warnings[i], part))
			return 1;
	return 0;
}

static void
test_feed_rss2_fields(void **state)
{
	struct feed f;
	const struct feed_entry *e;

	assert_int_equal(
	    parse(&f,
	        "<?xml version=\"1.0\"?>\n"
	        "<rss version=\"2.0\" "
	        "xmlns:dc=\"http://purl.org/dc/elements/1.1/\""
	        " xmlns:content=\"http://purl.org/rss/1.0/modules/content/\">"
	        "<channel><title>Deal &amp; News</title>"
	        "<link>https://deals.example/</link>"
	        "<item><title>Acme buys Widgets</title>"
	        "<link>https://deals.example/acme</link>"
	        "<guid isPermaLink=\"false\">acme-1</guid>"
	        "<pubDate>Tue, 03 Jun 2025 09:30:00 +0200</pubDate>"
	        "<dc:creator>Jo Writer</dc:creator>"
	        "<category>M&amp;A</category><category>Tech</category>"
	        "<enclosure url=\"https://deals.example/a.mp3\" "
	        "type=\"audio/mpeg\"/>"
	        "<description>Short &lt;b&gt;teaser&lt;/b&gt;</description>"
	        "<content:encoded><![CDATA[<p>The whole story.</p>]]>"
	        "</content:encoded></item></channel></rss>",
	        NULL, NULL, *state),
	    DW_OK);
	assert_string_equal(f.format, "rss2.0");
	assert_string_equal(f.encoding, "utf-8");
	assert_string_equal(f.title, "Deal & News");
	assert_string_equal(f.link, "https://deals.example/");
	assert_int_equal(f.nentries, 1);
	e = &f.entries[0];
	assert_string_equal(e->title, "Acme buys Widgets");
	/* the enclosure is not the link */
	assert_string_equal(e->link, "https://deals.example/acme");
	assert_string_equal(e->id, "acme-1");
	assert_string_equal(e->published, "2025-06-03T07:30:00Z");
	assert_string_equal(e->author, "Jo Writer");
	assert_int_equal(e->ncategories, 2);
	assert_string_equal(e->categories[0], "M&A");
	assert_string_equal(e->summary, "Short <b>teaser</b>");
	assert_string_equal(e->content, "<p>The whole story.</p>");
	assert_int_equal(f.nwarnings, 0);
}

static void
test_feed_atom_links_and_bases(void **state)
{
	struct feed f;
	const struct feed_entry *e;

	assert_int_equal(
	    parse(&f,
	        "<feed xmlns=\"http://www.w3.org/2005/Atom\""
	        " xml:base=\"https://site.example/blog/\">"
	        "<title type=\"html\">The &lt;i&gt;Blog&lt;/i&gt;</title>"
	        "<id>urn:uuid:60a76c80</id>"
	        "<link rel=\"self\" href=\"feed.atom\"/>"
	        "<link rel=\"alternate\" type=\"text/html\" href=\"./\"/>"
	        "<entry xml:base=\"posts/\"><title>First</title>"
	        "<link rel=\"enclosure\" href=\"big.zip\"/>"
	        "<link href=\"one.html\"/><id>one</id>"
	        "<published>2025-01-02T03:04:05-05:00</published>"
	        "<updated>2025-01-03T00:00:00Z</updated>"
	        "<author><name>Ann</name><email>ann@site.example</email></"
	        "author>"
	        "<category term=\"funding\"/>"
	        "<content type=\"xhtml\"><div xmlns=\"http://www.w3.org/1999/"
	        "xhtml\"><p>Hello <b>world</b></p></div></content>"
	        "</entry></feed>",
	        "https://ignored.example/x", NULL, *state),
	    DW_OK);
	assert_string_equal(f.format, "atom1.0");
	assert_string_equal(f.title, "The <i>Blog</i>");
	assert_string_equal(f.link, "https://site.example/blog/");
	assert_string_equal(f.id, "urn:uuid:60a76c80");
	e = &f.entries[0];
	assert_string_equal(e->link,
	    "https://site.example/blog/posts/one.html");
	assert_string_equal(e->id, "https://site.example/blog/posts/one");
	assert_string_equal(e->published, "2025-01-02T08:04:05Z");
	assert_string_equal(e->updated, "2025-01-03T00:00:00Z");
	assert_string_equal(e->author, "Ann");
	assert_string_equal(e->categories[0], "funding");
	assert_string_equal(e->content, "<p>Hello <b>world</b></p>");
	/* Atom content that is text or markup is also the summary */
	assert_string_equal(e->summary, "<p>Hello <b>world</b></p>");
}

static void
test_feed_formats_by_version_and_namespace(void **state)
{
	static const struct {
		const char *doc, *format;
	} cases[] = {
		{ "<rss version=\"0.91\"><channel><title>t</title></channel>"
		  "</rss>",
		    "rss0.91" },
		{ "<rss version=\"0.92\"><channel/></rss>", "rss0.92" },
		{ "<rss version=\"2.0.1\"><channel/></rss>", "rss2.0" },
		{ "<rss><channel/></rss>", "rss" },
		{ "<rdf:RDF "
		  "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-"
		  "ns#\" xmlns=\"http://purl.org/rss/1.0/\"><channel/>"
		  "</rdf:RDF>",
		    "rss1.0" },
		{ "<rdf:RDF "
		  "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-"
		  "ns#\" xmlns=\"http://my.netscape.com/rdf/simple/0.9/\">"
		  "<channel/></rdf:RDF>",
		    "rss0.90" },
		{ "<feed version=\"0.3\" xmlns=\"http://purl.org/atom/ns#\">"
		  "</feed>",
		    "atom0.3" },
	};
	struct feed f;

	for (size_t i = 0; i < countof(cases); i++) {
		assert_int_equal(parse(&f, cases[i].doc, NULL, NULL, *state),
		    DW_OK);
		assert_string_equal(f.format, cases[i].format);
	}
}

static void
test_feed_rss1_about_and_dc_date(void **state)
{
	struct feed f;

	assert_int_equal(
	    parse(&f,
	        "<rdf:RDF "
	        "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\""
	        " xmlns=\"http://purl.org/rss/1.0/\""
	        " xmlns:dc=\"http://purl.org/dc/elements/1.1/\">"
	        "<channel "
	        "rdf:about=\"https://r.example/\"><title>R</title></channel>"
	        "<item rdf:about=\"https://r.example/1\"><title>One</title>"
	        "<link>https://r.example/1</link>"
	        "<dc:date>2024-12-31T23:00:00-01:00</dc:date></item></rdf:RDF>",
	        NULL, NULL, *state),
	    DW_OK);
	assert_int_equal(f.nentries, 1);
	assert_string_equal(f.entries[0].id, "https://r.example/1");
	assert_string_equal(f.entries[0].updated, "2025-01-01T00:00:00Z");
	assert_string_equal(f.entries[0].published, "");
}

static void
test_feed_not_a_feed_names_the_root(void **state)
{
	struct feed f;
	struct buf err = BUF_INIT;

	assert_int_equal(fetch_feed_parse(&f,
	                     SPAN("<html><body>hello</body></html>"),
	                     "https://x.example/", NULL, *state, &err),
	    DW_EPARSE);
	assert_non_null(strstr(err.data, "html"));
	buf_reset(&err);
	assert_int_equal(fetch_feed_parse(&f, SPAN("just text"), NULL, NULL,
	                     *state, &err),
	    DW_EPARSE);
	assert_non_null(strstr(err.data, "cannot parse feed"));
	buf_release(&err);
}

static void
test_feed_html_entities_without_dtd(void **state)
{
	struct feed f;

	assert_int_equal(parse(&f,
	                     "<rss version=\"2.0\"><channel><title>A&nbsp;B "
	                     "&eacute; &copy;"
	                     " &amp; &madeup;</title></channel></rss>",
	                     NULL, NULL, *state),
	    DW_OK);
	assert_string_equal(f.title,
	    "A\xc2\xa0"
	    "B \xc3\xa9 \xc2\xa9 & &madeup;");
	assert_true(has_warning(&f, "undefined entity &nbsp; (recovered)"));
	assert_true(has_warning(&f, "&madeup;"));
}

static void
test_feed_entities_in_attributes_stay_text(void **state)
{
	struct feed f;

	/* libxml2 alone would drop them or keep one byte of their UTF-8 */
	assert_int_equal(parse(&f,
	                     "<feed xmlns=\"http://www.w3.org/2005/Atom\">"
	                     "<entry><category term=\"Caf&eacute; &amp; "
	                     "&#233;\"/><link href=\"http://x.example/"
	                     "?a=1&b=2&nbsp;\"/></entry></feed>",
	                     NULL, NULL, *state),
	    DW_OK);
	assert_string_equal(f.entries[0].categories[0],
	    "Caf&eacute; & \xc3\xa9");
	assert_string_equal(f.entries[0].link,
	    "http://x.example/?a=1&b=2&nbsp;");
	assert_true(has_warning(&f, "2 undefined entities in attributes"));
	assert_true(has_warning(&f, "1 bare '&' read as text"));
}

static void
test_feed_billion_laughs_refused(void **state)
{
	struct buf doc = BUF_INIT;
	struct feed f;
	clock_t t0 = clock();

	buf_adds(&doc,
	    "<?xml version=\"1.0\"?><!DOCTYPE rss [\n"
	    "<!ENTITY a \"ha\">\n");
	for (int i = 1; i < 12; i++) {
		buf_addf(&doc, "<!ENTITY %c \"", 'a' + i);
		for (int j = 0; j < 10; j++)
			buf_addf(&doc, "&%c;", 'a' + i - 1);
		buf_adds(&doc, "\">\n");
	}
	buf_adds(&doc,
	    "]><rss version=\"2.0\"><channel><title>&l;</title>"
	    "<item><title>x &a; y</title></item></channel></rss>");
	assert_int_equal(parse(&f, doc.data, NULL, NULL, *state), DW_OK);
	/* the nested entities are not declared, the plain one is */
	assert_string_equal(f.title, "&l;");
	assert_string_equal(f.entries[0].title, "x ha y");
	assert_true(has_warning(&f, "entity 'b' not declared"));
	assert_true((double)(clock() - t0) / CLOCKS_PER_SEC < 1.0);
	buf_release(&doc);
}

static void
test_feed_external_entities_never_loaded(void **state)
{
	struct feed f;

	assert_int_equal(
	    parse(&f,
	        "<?xml version=\"1.0\"?><!DOCTYPE rss [\n"
	        "<!ENTITY secret SYSTEM \"file:///etc/hostname\">\n"
	        "<!ENTITY remote SYSTEM \"http://127.0.0.1:9/x\">\n]>"
	        "<rss "
	        "version=\"2.0\"><channel><title>[&secret;][&remote;]</title>"
	        "</channel></rss>",
	        NULL, NULL, *state),
	    DW_OK);
	assert_string_equal(f.title, "[&secret;][&remote;]");
	assert_true(has_warning(&f, "entity 'secret' not declared"));
}

static void
test_feed_deep_nesting_and_huge_text(void **state)
{
	struct buf doc = BUF_INIT;
	struct feed f;

	buf_adds(&doc, "<rss version=\"2.0\"><channel><item><title>t</title>");
	for (int i = 0; i < 10000; i++)
		buf_adds(&doc, "<x>");
	for (int i = 0; i < 10000; i++)
		buf_adds(&doc, "</x>");
	buf_adds(&doc, "<description>");
	{
		char kb[1024];

		memset(kb, 'x', sizeof(kb));
		for (int i = 0; i < 10 * 1024; i++)
			buf_add(&doc, kb, sizeof(kb));
	}
	buf_adds(&doc, "</description></item></channel></rss>");
	assert_int_equal(parse(&f, doc.data, NULL, NULL, *state), DW_OK);
	assert_int_equal(f.nentries, 1);
	assert_string_equal(f.entries[0].title, "t");
	assert_int_equal(strlen(f.entries[0].summary), (size_t)10 << 20);
	assert_true(has_warning(&f, "nested deeper"));
	buf_release(&doc);
}

static void
test_feed_encodings_in_rfc3023_order(void **state)
{
	struct feed f;
	const char *latin1 = "<rss version=\"2.0\"><channel><title>Caf\xe9 "
	                     "\x80</title></channel></rss>";
	const char *decl = "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>"
	                   "<rss version=\"2.0\"><channel><title>Caf\xc3\xa9"
	                   "</title></channel></rss>";

	/* no declaration, not UTF-8: windows-1252, with a warning */
	assert_int_equal(parse(&f, latin1, NULL, NULL, *state), DW_OK);
	assert_string_equal(f.encoding, "windows-1252");
	assert_string_equal(f.title, "Caf\xc3\xa9 \xe2\x82\xac");
	assert_true(has_warning(&f, "not valid utf-8"));
	/* the declaration alone; UTF-8 read as Latin-1 is undone as text */
	assert_int_equal(parse(&f, decl, NULL, NULL, *state), DW_OK);
	assert_string_equal(f.encoding, "iso-8859-1");
	assert_string_equal(f.title, "Caf\xc3\xa9");
	/* the HTTP charset beats it */
	assert_int_equal(parse(&f, decl, NULL,
	                     "application/rss+xml; charset=\"UTF-8\"", *state),
	    DW_OK);
	assert_string_equal(f.encoding, "UTF-8");
	assert_string_equal(f.title, "Caf\xc3\xa9");
	assert_true(has_warning(&f, "overrides the declared iso-8859-1"));
	/* a byte-order mark says UTF-16 */
	{
		static const char u16[] =
		    "\xff\xfe<\0r\0s\0s\0>\0<\0c\0h\0a\0n\0"
		    "n\0e\0l\0>\0<\0t\0i\0t\0l\0e\0>\0\xe9\0"
		    "<\0/\0t\0i\0t\0l\0e\0>\0<\0/\0c\0h\0a\0"
		    "n\0n\0e\0l\0>\0<\0/\0r\0s\0s\0>\0";
		struct buf err = BUF_INIT;

		assert_int_equal(fetch_feed_parse(&f,
		                     (struct span){ u16, sizeof(u16) - 1 },
		                     NULL, NULL, *state, &err),
		    DW_OK);
		assert_string_equal(f.encoding, "utf-16le");
		assert_string_equal(f.title, "\xc3\xa9");
		buf_release(&err);
	}
}

static void
test_feed_invalid_utf8_repaired(void **state)
{
	struct feed f;

	assert_int_equal(parse(&f,
	                     "<?xml version=\"1.0\" encoding=\"utf-8\"?><rss "
	                     "version=\"2.0\">"
	                     "<channel><title>\xe2\x82\xac 5 \xc3\xa9t\xc3\xa9 "
	                     "\x93quoted\x94"
	                     "</title>"
	                     "</channel></rss>",
	                     NULL, NULL, *state),
	    DW_OK);
	assert_string_equal(f.encoding, "utf-8");
	assert_string_equal(f.title,
	    "\xe2\x82\xac 5 \xc3\xa9t\xc3\xa9 "
	    "\xe2\x80\x9cquoted\xe2\x80\x9d");
	assert_true(has_warning(&f, "2 bytes not valid utf-8 replaced"));
}

static void
test_feed_broken_documents_recover(void **state)
{
	struct feed f;

	/* mismatched tags, a bare ampersand, a cut end */
	assert_int_equal(
	    parse(&f,
	        "<rss version=\"2.0\"><channel><title>Q&A</title>"
	        "<item><title>One</b></title><link>https://x.example/1</link>"
	        "</item><item><title>Two</title><description>cut here",
	        NULL, NULL, *state),
	    DW_OK);
	assert_int_equal(f.nentries, 2);
	/* the stray </b> does not close the title, nor the item */
	assert_string_equal(f.title, "Q&A");
	assert_string_equal(f.entries[0].title, "One");
	assert_non_null(f.entries[0].link);
	assert_string_equal(f.entries[0].link, "https://x.example/1");
	assert_string_equal(f.entries[1].title, "Two");
	assert_string_equal(f.entries[1].summary, "cut here");
	assert_true(has_warning(&f, "1 bare '&' read as text"));
}

static void
test_feed_streaming_hands_each_entry(void **state)
{
	static const char doc[] =
	    "<rss version=\"2.0\"><channel><title>S</title>"
	    "<item><title>a</title></item><item><title>b</title></item>"
	    "<item><title>c</title></item></channel></rss>";
	struct buf err = BUF_INIT;
	struct feed_parser *p;
	struct feed f;

	(void)state;
	p = fetch_feed_parser_new(NULL, NULL, NULL, NULL, NULL);
	/* one byte at a time: chunk boundaries anywhere */
	for (size_t i = 0; i < sizeof(doc) - 1; i++)
		assert_int_equal(fetch_feed_parser_push(p, doc + i, 1, 0, &err),
		    DW_OK);
	assert_int_equal(fetch_feed_parser_push(p, "", 0, 1, &err), DW_OK);
	assert_int_equal(fetch_feed_parser_finish(p, &f, "doc", &err), DW_OK);
	assert_int_equal(f.nentries, 3);
	assert_string_equal(f.entries[2].title, "c");
	assert_string_equal(f.title, "S");
	fetch_feed_parser_free(p);
	buf_release(&err);
}

/* The feed as JSON, parsed whole or pushed in pieces of 5 bytes (which
 * leaves CDATA sections to libxml2). */
static void
feed_json_as(struct buf *out, const char *doc, int pieces, struct arena *a)
{
	struct buf err = BUF_INIT;
	struct feed f;

	if (!pieces) {
		assert_int_equal(fetch_feed_parse(&f, span_cstr(doc), NULL,
		                     NULL, a, &err),
		    DW_OK);
	} else {
		struct feed_parser *p =
		    fetch_feed_parser_new(NULL, "utf-8", NULL, NULL, a);
		size_t n = strlen(doc);

		for (size_t i = 0; i < n; i += 5)
			assert_int_equal(fetch_feed_parser_push(p, doc + i,
			                     MIN((size_t)5, n - i), 0, &err),
			    DW_OK);
		assert_int_equal(fetch_feed_parser_push(p, "", 0, 1, &err),
		    DW_OK);
		assert_int_equal(fetch_feed_parser_finish(p, &f, "doc", &err),
		    DW_OK);
		fetch_feed_json(out, &f);
		fetch_feed_parser_free(p);
		buf_release(&err);
		return;
	}
	fetch_feed_json(out, &f);
	buf_release(&err);
}

static void
test_feed_cdata_sections_read_as_libxml2_reads_them(void **state)
{
	static const char *const docs[] = {
		/* line feeds inside: the warning after names line 5 */
		"<rss version=\"2.0\"><channel><title>T</title>\n"
		"<item><title><![CDATA[]]>a<![CDATA[ & b]]></title>"
		"<description><![CDATA[<p>one\ntwo\n\nthree</p>]]> "
		"&madeup;</description></item></channel></rss>",
		/* a control character: libxml2 stops there */
		"<rss version=\"2.0\"><channel><title>T</title><item>"
		"<title><![CDATA[x\001y]]></title></item></channel></rss>",
		/* the document's own processing instruction of that name */
		"<rss version=\"2.0\"><channel><title>T</title><?dwcdata?>"
		"<item><title><![CDATA[kept]]></title></item></channel></rss>",
		/* after the root and inside a comment: not element content */
		"<rss version=\"2.0\"><channel><!-- <![CDATA[c]]> -->"
		"<title><![CDATA[t]]></title></channel></rss><![CDATA[z]]>",
	};
	struct buf whole = BUF_INIT, pieces = BUF_INIT;
	struct feed f;

	for (size_t i = 0; i < countof(docs); i++) {
		buf_reset(&whole);
		buf_reset(&pieces);
		feed_json_as(&whole, docs[i], 0, *state);
		feed_json_as(&pieces, docs[i], 1, *state);
		assert_string_equal(whole.data, pieces.data);
	}
	assert_int_equal(parse(&f, docs[0], NULL, NULL, *state), DW_OK);
	assert_int_equal(f.nentries, 1);
	assert_string_equal(f.entries[0].title, "a & b");
	assert_string_equal(f.entries[0].summary,
	    "<p>one\ntwo\n\nthree</p> &madeup;");
	assert_true(has_warning(&f, "line 5: undefined entity &madeup;"));
	assert_int_equal(parse(&f, docs[2], NULL, NULL, *state), DW_OK);
	assert_string_equal(f.entries[0].title, "kept");
	buf_release(&whole);
	buf_release(&pieces);
}

static int
count_entry(const struct feed_entry *e, void *arg)
{
	struct buf *b = arg;

	buf_adds(b, e->title ? e->title : "?");
	return 0;
}

static void
test_feed_streaming_callback(void **state)
{
	static const char doc[] =
	    "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>S</title>"
	    "<entry><title>a</title></entry><entry><title>b</title></entry>"
	    "</feed>";
	struct buf seen = BUF_INIT, err = BUF_INIT;
	struct feed_parser *p;
	struct feed f;

	(void)state;
	p = fetch_feed_parser_new(NULL, NULL, count_entry, &seen, NULL);
	assert_int_equal(fetch_feed_parser_push(p, doc, sizeof(doc) - 1, 1,
	                     &err),
	    DW_OK);
	assert_int_equal(fetch_feed_parser_finish(p, &f, "doc", &err), DW_OK);
	assert_string_equal(seen.data, "ab");
	assert_int_equal(f.nentries, 2);
	fetch_feed_parser_free(p);
	buf_release(&seen);
	buf_release(&err);
}

static void
test_feed_dates_to_utc_or_nothing(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "Sat, 07 Jun 2025 14:05:09 GMT", "2025-06-07T14:05:09Z" },
		{ "07 Jun 2025 14:05 EDT", "2025-06-07T18:05:00Z" },
		{ "Sat,07 Jun 25 14:05:09 -0330", "2025-06-07T17:35:09Z" },
		{ "2025-06-07T14:05:09.123+05:30", "2025-06-07T08:35:09Z" },
		{ "2025-06-07", "2025-06-07T00:00:00Z" },
		{ "2025-06-07 14:05:09", "2025-06-07T14:05:09Z" },
		{ "20250607T140509Z", "2025-06-07T14:05:09Z" },
		{ "Sat Jun  7 14:05:09 2025", "2025-06-07T14:05:09Z" },
		{ "2024-12-31T23:30:00-01:00", "2025-01-01T00:30:00Z" },
		{ "not a date", "" },
		{ "2025-13-01", "" },
		{ "2025-02-30T00:00:00Z", "" },
		{ "yesterday", "" },
		{ "", "" },
	};
	char out[21];

	(void)state;
	for (size_t i = 0; i < countof(cases); i++) {
		int rc =
		    feed__parse_date(out, cases[i].in, strlen(cases[i].in));

		if (!*cases[i].out) {
			assert_int_equal(rc, DW_EPARSE);
			assert_string_equal(out, "");
		} else {
			assert_int_equal(rc, DW_OK);
			assert_string_equal(out, cases[i].out);
		}
	}
}

/* Text repairs: mojibake undone, C1 controls read as windows-1252, and
 * a byte that is no UTF-8 (libxml2 lets one through now and then) made
 * U+FFFD rather than kept. */
static void
test_feed_fix_text_repairs(void **state)
{
	assert_string_equal(feed__fix_text("plain", 5, *state), "plain");
	assert_string_equal(feed__fix_text("caf\xc3\x83\xc2\xa9", 7, *state),
	    "caf\xc3\xa9");
	assert_string_equal(feed__fix_text("a \xc2\x93q\xc2\x94", 7, *state),
	    "a \xe2\x80\x9cq\xe2\x80\x9d");
	assert_string_equal(feed__fix_text("s\xe2/p \xe2\x89\xa4", 8, *state),
	    "s\xef\xbf\xbd/p \xe2\x89\xa4");
}

static void
test_feed_url_join(void **state)
{
	static const struct {
		const char *base, *ref, *out;
	} cases[] = {
		{ "https://a.example/b/c.html", "d.html",
		    "https://a.example/b/d.html" },
		{ "https://a.example/b/c.html", "../d", "https://a.example/d" },
		{ "https://a.example/b/", "/x?y=1", "https://a.example/x?y=1" },
		{ "https://a.example/b/", "//cdn.example/z",
		    "https://cdn.example/z" },
		{ "https://a.example/b/", "tag:a.example,2025:1",
		    "tag:a.example,2025:1" },
		{ "https://a.example/b/", "", "https://a.example/b/" },
		{ "", "rel/only", "rel/only" },
		{ "https://a.example/b", "#frag", "https://a.example/b#frag" },
		{ NULL, "http:////a.example/x", "http://a.example/x" },
		/* near the plain URLs taken as they are: split and joined (the
		 * last: feedparser's fix for "http:////host") */
		{ "http://a.example/", "HTTP://b.example/x",
		    "http://b.example/x" },
		{ "https://a.example/", "https://b.example/x?",
		    "https://b.example/x" },
		{ "https://a.example/", "https://b.example/x#",
		    "https://b.example/x" },
		{ "https://a.example/b", "http://", "http://" },
		{ "https://a.example/b", "https:///x", "https://x" },
	};

	for (size_t i = 0; i < countof(cases); i++)
		assert_string_equal(feed__url_join(cases[i].base, cases[i].ref,
		                        *state),
		    cases[i].out);
	assert_true(feed__url_plain("https://b.example/x/y.html"));
	assert_true(feed__url_plain("http://b.example"));
	assert_false(feed__url_plain("HTTP://b.example/x"));
	assert_false(feed__url_plain("https://b.example/x?"));
	assert_false(feed__url_plain("https://[::1/x"));
	assert_false(feed__url_plain("http:///x"));
	assert_false(feed__url_plain("http://"));
	/* Content-Location moves the base unless its scheme is unsafe */
	assert_string_equal(fetch_feed_base("https://a.example/f/x.xml",
	                        "/moved/", *state),
	    "https://a.example/moved/");
	assert_string_equal(fetch_feed_base("https://a.example/f/x.xml",
	                        "javascript:alert(1)", *state),
	    "https://a.example/f/x.xml");
	assert_null(fetch_feed_base(NULL, NULL, *state));
}

static void
test_feed_html_to_text_keeps_paragraphs(void **state)
{
	static const char html[] =
	    "<div><p>Acme&nbsp;Corp agreed to buy <b>Widget</b>\n  Inc.</p>"
	    "<script>var x = 1;</script><!-- note -->"
	    "<p>Price: &#36;5&nbsp;million &amp; more<br>Second line</p>"
	    "<style>p{}</style><ul><li>one</li><li>two</li></ul></div>";
	char *t = fetch_html_to_text(html, sizeof(html) - 1, *state);

	assert_string_equal(t,
	    "Acme\xc2\xa0"
	    "Corp agreed to buy Widget Inc."
	    "\n\nPrice: $5\xc2\xa0million & more\nSecond "
	    "line\n\none\n\ntwo");
	assert_string_equal(fetch_html_to_text("", 0, *state), "");
	assert_string_equal(fetch_html_to_text("a < b &bogus; c", 15, *state),
	    "a < b &bogus; c");
}

static void
test_feed_opml_round_trip(void **state)
{
	static const char doc[] =
	    "<?xml version=\"1.0\"?><opml version=\"2.0\"><head><title>Mine"
	    "</title></head><body><outline text=\"Business\">"
	    "<outline text=\"Deals &amp; More\" type=\"rss\""
	    " xmlUrl=\"https://d.example/rss?a=1&amp;b=2\""
	    " htmlUrl=\"https://d.example/\"/></outline>"
	    "<outline text=\"folder only\"/>"
	    "<outline title=\"Atom\" xmlurl=\" https://e.example/atom \"/>"
	    "</body></opml>";
	struct opml_outline *v, *w;
	struct buf err = BUF_INIT, out = BUF_INIT;
	size_t n, m;

	assert_int_equal(fetch_opml_parse(&v, &n, SPAN(doc), "mine.opml",
	                     *state, &err),
	    DW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].url, "https://d.example/rss?a=1&b=2");
	assert_string_equal(v[0].title, "Deals & More");
	assert_string_equal(v[0].html_url, "https://d.example/");
	assert_string_equal(v[1].url, "https://e.example/atom");
	fetch_opml_write(&out, "dealwire", v, n);
	assert_int_equal(fetch_opml_parse(&w, &m, buf_span(&out), "out", *state,
	                     &err),
	    DW_OK);
	assert_int_equal(m, 2);
	assert_string_equal(w[0].url, v[0].url);
	assert_string_equal(w[0].title, v[0].title);
	assert_int_equal(fetch_opml_parse(&w, &m, SPAN("<rss/>"), "x.opml",
	                     *state, &err),
	    DW_EPARSE);
	assert_non_null(strstr(err.data, "x.opml"));
	buf_release(&err);
	buf_release(&out);
}

static void
test_feed_discovery_in_pages(void **state)
{
	static const char page[] =
	    "<!doctype html><html><head><title>News</title>"
	    "<link rel=\"stylesheet\" href=\"/s.css\">"
	    "<link rel=\"alternate\" type=\"application/atom+xml\" "
	    "href=\"/atom\">"
	    "<link rel=\"alternate home\" type=\"application/rss+xml\""
	    " href=\"feed.xml\"></head><body><p>x</p></body></html>";
	char **v;
	size_t n;

	assert_int_equal(fetch_feed_discover(&v, &n, SPAN(page),
	                     "https://news.example/section/", *state),
	    DW_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0], "https://news.example/section/feed.xml");
	assert_string_equal(v[1], "https://news.example/atom");
	assert_int_equal(fetch_feed_discover(&v, &n, SPAN("<p>none</p>"), NULL,
	                     *state),
	    DW_OK);
	assert_int_equal(n, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_feed_rss2_fields, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_feed_atom_links_and_bases,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_formats_by_version_and_namespace, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_rss1_about_and_dc_date, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_not_a_feed_names_the_root, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_html_entities_without_dtd, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_entities_in_attributes_stay_text, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_billion_laughs_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_external_entities_never_loaded, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_deep_nesting_and_huge_text, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_encodings_in_rfc3023_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_invalid_utf8_repaired,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_broken_documents_recover, setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_streaming_hands_each_entry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_streaming_callback,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_cdata_sections_read_as_libxml2_reads_them, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_dates_to_utc_or_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_fix_text_repairs,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_url_join, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(
		    test_feed_html_to_text_keeps_paragraphs, setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_opml_round_trip,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_feed_discovery_in_pages,
		    setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
