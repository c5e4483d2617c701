/*
 * cmd_feed.c: `dealwire feed`: parse one feed document, and keep the list
 * of feeds the crawl reads (add, list, remove, import and export OPML).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "fetch/fetch.h"

#define FEED_MAX_INPUT ((size_t)64 << 20)

static const char feed_usage[] =
    "usage: dealwire feed parse FILE [--base URL] [--content-type TYPE]\n"
    "                           [--format json]\n"
    "       dealwire feed add URL|PATH\n"
    "       dealwire feed list\n"
    "       dealwire feed remove URL|ID\n"
    "       dealwire feed import FILE.opml\n"
    "       dealwire feed export\n"
    "\n"
    "parse   read one RSS or Atom document (FILE, or - for standard input)\n"
    "        as if fetched from URL with that Content-Type, and print it as\n"
    "        JSON; exits 65 when it is no feed at all\n"
    "add     add a feed; a web page is searched for its feed links\n"
    "list    each feed with its state: title, last fetch, status, errors\n"
    "remove  forget a feed, by URL or id\n"
    "import  add every feed of an OPML file\n"
    "export  print the feeds as OPML\n"
    "\n"
    "example:\n"
    "  dealwire feed parse news.xml --base https://example.com/feed\n";

/* "cannot parse feed 'X': why" naming name instead of X. */
static int
fail_named(int rc, const struct buf *err, const char *name)
{
	const char *why = strstr(err->data, "': ");

	if (strncmp(err->data, "cannot parse feed '", 19) == 0 && why) {
		cli_error("cannot parse feed '%s': %s", name, why + 3);
		return cli_exitcode(rc);
	}
	return cli_fail(rc, err);
}

static int
feed_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "content-type", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *base = NULL, *ctype = NULL, *path;
	struct buf in = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct arena a;
	struct feed f;
	int c, rc, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "b:c:f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			base = optarg;
			break;
		case 'c':
			ctype = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0) {
				cli_error("feed parse: unknown format '%s' "
				          "(json is the one)",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(feed_usage, stdout);
			return cli_finish(0);
		default:
			fputs(feed_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("feed parse: expected one FILE");
		return EXIT_USAGE;
	}
	path = argv[optind];
	rc = file_read(&in, path, FEED_MAX_INPUT, &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		goto out;
	}
	arena_init(&a, (size_t)1 << 30);
	rc = fetch_feed_parse(&f, buf_span(&in), base, ctype, &a, &err);
	if (rc != DW_OK) {
		status = fail_named(rc, &err, path);
	} else {
		fetch_feed_json(&out, &f);
		fwrite(out.data, 1, out.len, stdout);
		status = cli_finish(0);
	}
	arena_release(&a);
out:
	buf_release(&in);
	buf_release(&out);
	buf_release(&err);
	return status;
}

int
cmd_feed(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(feed_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : cli_finish(0);
	}
	if (!strcmp(argv[1], "parse"))
		return feed_parse(argc - 1, argv + 1);
	cli_error("feed: unknown subcommand '%s'", argv[1]);
	return EXIT_USAGE;
}
