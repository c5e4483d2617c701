/*
 * cmd_deal.c: `dealwire deal reject ID` and `dealwire deal merge ID ID`:
 * curation that later crawls and re-extraction respect.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char deal_usage[] =
    "usage: dealwire deal reject ID\n"
    "       dealwire deal merge ID OTHER\n"
    "\n"
    "  reject ID        keep deal ID out of listings, exports and circles;\n"
    "                   later articles about it do not bring it back\n"
    "  merge ID OTHER   make OTHER part of ID: its sources, figures and\n"
    "                   history join ID, and OTHER names ID from now on\n"
    "\n"
    "examples:\n"
    "  dealwire deal reject 7\n"
    "  dealwire deal merge 12 31\n";

int
cmd_deal(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int64_t a = 0, b = 0;
	const char *verb;
	int c, rc, status, nargs;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(deal_usage, stdout);
			return cli_finish(0);
		}
		fputs(deal_usage, stderr);
		return EXIT_USAGE;
	}
	if (optind >= argc) {
		fputs(deal_usage, stderr);
		return EXIT_USAGE;
	}
	verb = argv[optind];
	nargs = argc - optind - 1;
	if (strcmp(verb, "reject") == 0 && nargs == 1) {
		status = cli_deal_id("deal reject", argv[optind + 1], &a);
	} else if (strcmp(verb, "merge") == 0 && nargs == 2) {
		status = cli_deal_id("deal merge", argv[optind + 1], &a);
		if (!status)
			status =
			    cli_deal_id("deal merge", argv[optind + 2], &b);
	} else {
		cli_error("deal: expected 'reject ID' or 'merge ID OTHER'");
		return EXIT_USAGE;
	}
	if (status)
		return status;
	status = cli_open_store(&s);
	if (status)
		return status;
	if (b)
		rc = store_deal_merge(s, a, b, &err);
	else
		rc = store_deal_reject(s, a, &err);
	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	else if (!cli_global.quiet)
		printf(b ? "deal %lld merged into deal %lld\n"
		         : "deal %lld rejected\n",
		    (long long)(b ? b : a), (long long)a);
	store_close(s);
	buf_release(&err);
	return cli_finish(status);
}
