/*
 * cmd_export.c: `dealwire export`: the stored deals as CSV, JSON, JSONL
 * (CONTRACT.md) or DOT, with the filters of `deals` and --updated-since.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char export_usage[] =
    "usage: dealwire export [--format csv|json|jsonl|dot] [--party NAME]\n"
    "                       [--type T] [--status S] [--since DATE]\n"
    "                       [--until DATE] [--updated-since TIME]\n"
    "\n"
    "Write the stored deals to standard output.\n"
    "\n"
    "  --format jsonl  one deal a line: type, parties, amount, stake,\n"
    "                  valuation, status, date, id, sources, history\n"
    "                  (the default)\n"
    "  --format json   the same deals as one array\n"
    "  --format csv    RFC 4180; text cells starting with = + - @ tab or CR\n"
    "                  get a leading ' so spreadsheets do not run them\n"
    "  --format dot    Graphviz: parties as nodes, deals as edges, circles\n"
    "                  in red\n"
    "  --updated-since TIME  only deals changed at or after TIME\n"
    "                  (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ, UTC)\n"
    "  --party, --type, --status, --since, --until: as for 'dealwire deals'\n"
    "\n"
    "example:\n"
    "  dealwire export --format csv --since 2025 > deals.csv\n";

int
cmd_export(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "party", required_argument, NULL, 'P' },
		{ "since", required_argument, NULL, 's' },
		{ "status", required_argument, NULL, 'S' },
		{ "type", required_argument, NULL, 'T' },
		{ "until", required_argument, NULL, 'u' },
		{ "updated-since", required_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct {
		const char *name;
		int format;
	} formats[] = {
		{ "csv", EXPORT_CSV },
		{ "dot", EXPORT_DOT },
		{ "json", EXPORT_JSON },
		{ "jsonl", EXPORT_JSONL },
	};
	struct deal_filter f = { .party = NULL };
	const char *fmt = "jsonl";
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int c, rc, status, format = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			fmt = optarg;
			continue;
		case 'h':
			fputs(export_usage, stdout);
			return cli_finish(0);
		case 'U':
			if (strlen(optarg) < 4 || optarg[0] < '0' ||
			    optarg[0] > '9') {
				cli_error("export: --updated-since '%s' is not "
				          "a"
				          " time",
				    optarg);
				return EXIT_USAGE;
			}
			f.updated_since = optarg;
			continue;
		default:
			break;
		}
		status = cli_filter_option(&f, "export", c, optarg);
		if (status < 0) {
			fputs(export_usage, stderr);
			return EXIT_USAGE;
		}
		if (status)
			return status;
	}
	if (optind < argc) {
		cli_error("export: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	for (size_t i = 0; i < countof(formats); i++)
		if (strcmp(fmt, formats[i].name) == 0)
			format = formats[i].format;
	if (!format) {
		cli_error("export: unknown --format '%s' (csv, json, jsonl, "
		          "dot)",
		    fmt);
		return EXIT_USAGE;
	}
	status = cli_open_store(&s);
	if (status)
		return status;
	rc = store_export(s, stdout, format, &f, &err);
	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	store_close(s);
	buf_release(&err);
	return cli_finish(status);
}
