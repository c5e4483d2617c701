/*
 * cmd_reextract.c: `dealwire reextract`: run the current rules over the
 * stored articles and replace what they said, so a rule fix reaches old
 * news. Deal ids stay.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char reextract_usage[] =
    "usage: dealwire reextract [--since YYYY-MM-DD]\n"
    "\n"
    "Extract the deals of every stored article again with the current\n"
    "rules (--rules DIR to try others) and replace its mentions, one\n"
    "transaction per article. Deals keep their ids; rejections and merges\n"
    "stay. --since limits it to articles published on or after the date.\n"
    "\n"
    "example:\n"
    "  dealwire reextract --since 2025-01-01\n";

static int
run_extract(struct deal_list *out, struct span text, const char *published,
    struct arena *a, void *arg, struct buf *err)
{
	char day[11];
	int y, m, d;

	/* Extraction wants a bare YYYY-MM-DD; stored dates may carry time. */
	if (published && strlen(published) >= 10) {
		memcpy(day, published, 10);
		day[10] = '\0';
		published =
		    date_parse_ymd(day, &y, &m, &d) == DW_OK ? day : NULL;
	} else {
		published = NULL;
	}
	return extract_deals(out, arg, text, published, a, err);
}

int
cmd_reextract(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "since", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *since = NULL;
	struct extractor *x = NULL;
	struct store *s = NULL;
	struct store_reextract_stats stats;
	struct store_extract_fn fn;
	struct buf err = BUF_INIT;
	int c, y, m, d, rc, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "hs:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(reextract_usage, stdout);
			return cli_finish(0);
		case 's':
			since = optarg;
			break;
		default:
			fputs(reextract_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("reextract: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (since && date_parse_ymd(since, &y, &m, &d) != DW_OK) {
		cli_error("reextract: --since '%s' is not a YYYY-MM-DD date",
		    since);
		return EXIT_USAGE;
	}
	status = cli_open_extractor(&x);
	if (status)
		return status;
	status = cli_open_store(&s);
	if (status)
		goto out;
	fn.fn = run_extract;
	fn.arg = x;
	rc = store_reextract(s, since, &fn, &stats, &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		goto out;
	}
	if (!cli_global.quiet)
		printf("re-extracted %zu articles: %zu mentions",
		    stats.articles, stats.mentions);
	if (!cli_global.quiet && stats.failed)
		printf(", %zu articles failed and were left as they were",
		    stats.failed);
	if (!cli_global.quiet)
		printf("\n");
out:
	store_close(s);
	extractor_free(x);
	buf_release(&err);
	return cli_finish(status);
}
