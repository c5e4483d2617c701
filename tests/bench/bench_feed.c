/*
 * bench_feed.c: the streaming feed parser on one file, as sfeed runs: the
 * file is read in 64 KiB pieces and every entry is written out (as the
 * JSON `feed parse` prints for it) as soon as it is complete, so neither
 * the document nor the entries are held. Usage: bench_feed FILE > /dev/null
 * It also writes the benchmark's feeds: bench_feed --generate rss|atom FILE
 * (5,000 items, about 10 MB, the same bytes on every run).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "fetch/fetch.h"

struct sink {
	struct buf out;
	size_t entries;
};

static int
flush_out(struct sink *s)
{
	size_t len = s->out.len;
	size_t n = fwrite(s->out.data, 1, len, stdout);

	buf_reset(&s->out);
	return n == len ? 0 : -1;
}

static int
on_entry(const struct feed_entry *e, void *arg)
{
	struct sink *s = arg;

	fetch_feed_entry_json(&s->out, e);
	buf_addch(&s->out, '\n');
	s->entries++;
	if (s->out.len > ((size_t)64 << 10))
		return flush_out(s);
	return 0;
}

static const char *const words[] = { "deal", "investment", "acquisition",
	"merger", "stake", "billion", "million", "company", "market", "shares",
	"fund", "round", "capital", "venture", "board", "agreed", "talks" };

static void
para(FILE *f, unsigned *seed, int n)
{
	for (int i = 0; i < n; i++) {
		*seed = *seed * 1103515245u + 12345u;
		fprintf(f, "%s%s", i ? " " : "",
		    words[(*seed >> 16) % countof(words)]);
	}
}

static int
generate(const char *kind, const char *path)
{
	FILE *f = fopen(path, "w");
	unsigned seed = 7;
	int rss = strcmp(kind, "rss") == 0;

	if (!f) {
		perror(path);
		return 73;
	}
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n", f);
	if (rss)
		fputs("<rss version=\"2.0\" "
		      "xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
		      "xmlns:content=\"http://purl.org/rss/1.0/modules/content/"
		      "\">"
		      "\n<channel><title>Bench &amp; feed</title>"
		      "<link>https://example.com/</link>"
		      "<description>bench</description>\n",
		    f);
	else
		fputs("<feed xmlns=\"http://www.w3.org/2005/Atom\">"
		      "<title>Bench feed</title>"
		      "<link href=\"https://example.com/\"/><id>urn:bench</id>"
		      "<updated>2025-06-01T00:00:00Z</updated>\n",
		    f);
	for (int i = 0; i < 5000; i++) {
		if (rss) {
			fprintf(f, "<item><title>Item %d: ", i);
			para(f, &seed, 8);
			fprintf(f,
			    "</title><link>https://example.com/news/%d.html"
			    "</link><guid isPermaLink=\"false\">id-%d</guid>"
			    "<pubDate>Mon, 0%d Jun 2025 1%d:2%d:00 +0200"
			    "</pubDate><dc:creator>Writer %d</dc:creator>"
			    "<category>cat%d</category><description>&lt;p&gt;",
			    i, i, i % 9 + 1, i % 10, i % 10, i % 50, i % 20);
			para(f, &seed, 60);
			fputs("&lt;/p&gt;</description><content:encoded>"
			      "<![CDATA[<p>",
			    f);
			para(f, &seed, 120);
			fputs("</p><p>", f);
			para(f, &seed, 40);
			fputs(" &amp; more</p>]]></content:encoded></item>\n",
			    f);
		} else {
			fprintf(f, "<entry><title type=\"html\">Item %d: ", i);
			para(f, &seed, 8);
			fprintf(f,
			    "</title><link rel=\"alternate\" "
			    "type=\"text/html\" "
			    "href=\"https://example.com/news/%d.html\"/>"
			    "<id>tag:example.com,2025:%d</id>"
			    "<published>2025-06-0%dT1%d:2%d:00+02:00</"
			    "published>"
			    "<updated>2025-06-0%dT1%d:3%d:00Z</updated>"
			    "<author><name>Writer %d</name></author>"
			    "<category term=\"cat%d\"/><summary type=\"html\">"
			    "&lt;p&gt;",
			    i, i, i % 9 + 1, i % 10, i % 10, i % 9 + 1, i % 10,
			    i % 10, i % 50, i % 20);
			para(f, &seed, 60);
			fputs("&lt;/p&gt;</summary><content type=\"html\">"
			      "&lt;p&gt;",
			    f);
			para(f, &seed, 125);
			fputs("&lt;/p&gt;&lt;p&gt;", f);
			para(f, &seed, 40);
			fputs(" &amp;amp; more&lt;/p&gt;</content></entry>\n",
			    f);
		}
	}
	fputs(rss ? "</channel></rss>\n" : "</feed>\n", f);
	if (fclose(f) != 0) {
		perror(path);
		return 74;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static char chunk[(size_t)64 << 10];
	struct sink s = { BUF_INIT, 0 };
	struct buf err = BUF_INIT;
	struct feed_parser *p;
	struct feed f;
	ssize_t n;
	int fd, rc = DW_OK;

	if (argc == 4 && strcmp(argv[1], "--generate") == 0)
		return generate(argv[2], argv[3]);
	if (argc != 2) {
		fprintf(stderr,
		    "usage: bench_feed FILE\n"
		    "       bench_feed --generate rss|atom FILE\n");
		return 64;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 66;
	}
	p = fetch_feed_parser_new(NULL, NULL, on_entry, &s, NULL);
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		rc = fetch_feed_parser_push(p, chunk, (size_t)n, 0, &err);
		if (rc != DW_OK)
			break;
	}
	if (rc == DW_OK)
		rc = fetch_feed_parser_push(p, "", 0, 1, &err);
	if (rc == DW_OK)
		rc = fetch_feed_parser_finish(p, &f, argv[1], &err);
	close(fd);
	flush_out(&s);
	if (rc != DW_OK)
		fprintf(stderr, "bench_feed: %s\n", err.data);
	else
		fprintf(stderr, "%zu entries\n", s.entries);
	fetch_feed_parser_free(p);
	buf_release(&s.out);
	buf_release(&err);
	return rc == DW_OK ? 0 : 1;
}
