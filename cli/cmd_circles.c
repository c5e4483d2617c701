/*
 * cmd_circles.c: `dealwire circles`: circular deals, where money flows
 * from a party back to it through others (CONTRACT.md).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static const char circles_usage[] =
    "usage: dealwire circles [--format text|json] [--max-length N]\n"
    "\n"
    "List the directed cycles of the money-flow graph of the stored deals:\n"
    "an investment or stake flows investor/holder -> target, a supply\n"
    "customer -> supplier. Terminated and rejected deals do not count.\n"
    "Each circle starts at its alphabetically first party.\n"
    "\n"
    "  --format text   one circle a line with its deals (default)\n"
    "  --format json   {\"circles\": [{\"parties\": [...], \"deals\": "
    "[...]}]}\n"
    "  --max-length N  circles of at most N parties (default 4)\n"
    "\n"
    "example:\n"
    "  dealwire circles --format json\n";

int
cmd_circles(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "max-length", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	const char *fmt = "text";
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	long max = 4;
	char *end;
	int c, rc, status, format;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:hm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = optarg;
			break;
		case 'h':
			fputs(circles_usage, stdout);
			return cli_finish(0);
		case 'm':
			errno = 0;
			max = strtol(optarg, &end, 10);
			if (errno || *end || end == optarg || max < 2 ||
			    max > 16) {
				cli_error("circles: --max-length '%s' is not a"
				          " number from 2 to 16",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		default:
			fputs(circles_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cli_error("circles: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	if (strcmp(fmt, "text") == 0) {
		format = CIRCLES_TEXT;
	} else if (strcmp(fmt, "json") == 0) {
		format = CIRCLES_JSON;
	} else {
		cli_error("circles: unknown --format '%s' (text or json)", fmt);
		return EXIT_USAGE;
	}
	status = cli_open_store(&s);
	if (status)
		return status;
	rc = store_circles(s, stdout, format, (int)max, &err);
	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	store_close(s);
	buf_release(&err);
	return cli_finish(status);
}
