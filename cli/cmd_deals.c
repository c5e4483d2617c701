/*
 * cmd_deals.c: `dealwire deals`: the stored deals as a table, filtered by
 * party, type, status and date. Also the filter options `export` shares.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char deals_usage[] =
    "usage: dealwire deals [--party NAME] [--type T] [--status S]\n"
    "                      [--since DATE] [--until DATE]\n"
    "\n"
    "List the stored deals (rejected ones and ones merged away left out)\n"
    "as a table: id, type, parties, amount, status, date and the number of\n"
    "sources.\n"
    "\n"
    "  --party NAME    deals with this party (canonical name, any case)\n"
    "  --type T        investment, acquisition, merger, stake, supply or\n"
    "                  partnership\n"
    "  --status S      talks, announced, completed or terminated\n"
    "  --since DATE    deals dated on or after DATE (YYYY[-MM[-DD]]); a deal\n"
    "  --until DATE    without a date counts at its first report\n"
    "\n"
    "example:\n"
    "  dealwire deals --party OpenAI --since 2025\n";

/* YYYY, YYYY-MM or YYYY-MM-DD. */
static int
valid_date(const char *s)
{
	size_t n = strlen(s);
	int y, m, d;

	for (size_t i = 0; i < n; i++)
		if (!(s[i] >= '0' && s[i] <= '9') &&
		    !(s[i] == '-' && (i == 4 || i == 7)))
			return 0;
	if (n == 4)
		return 1;
	if (n == 7)
		return s[4] == '-' &&
		    ((s[5] == '0' && s[6] >= '1') ||
		        (s[5] == '1' && s[6] <= '2'));
	return n == 10 && date_parse_ymd(s, &y, &m, &d) == DW_OK;
}

int
cli_filter_option(struct deal_filter *f, const char *cmd, int opt,
    const char *arg)
{
	switch (opt) {
	case 'P':
		f->party = arg;
		return 0;
	case 'T':
		f->type = deal_type_parse(arg);
		if (!f->type) {
			cli_error("%s: unknown --type '%s' (investment, "
			          "acquisition, merger, stake, supply, "
			          "partnership)",
			    cmd, arg);
			return EXIT_USAGE;
		}
		return 0;
	case 'S':
		f->status = deal_status_parse(arg);
		if (!f->status) {
			cli_error("%s: unknown --status '%s' (talks, announced,"
			          " completed, terminated)",
			    cmd, arg);
			return EXIT_USAGE;
		}
		return 0;
	case 's':
	case 'u':
		if (!valid_date(arg)) {
			cli_error("%s: --%s '%s' is not a YYYY[-MM[-DD]] date",
			    cmd, opt == 's' ? "since" : "until", arg);
			return EXIT_USAGE;
		}
		if (opt == 's')
			f->since = arg;
		else
			f->until = arg;
		return 0;
	default:
		return -1;
	}
}

int
cmd_deals(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "party", required_argument, NULL, 'P' },
		{ "since", required_argument, NULL, 's' },
		{ "status", required_argument, NULL, 'S' },
		{ "type", required_argument, NULL, 'T' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	struct deal_filter f = { .party = NULL };
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int c, rc, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(deals_usage, stdout);
			return cli_finish(0);
		}
		status = cli_filter_option(&f, "deals", c, optarg);
		if (status < 0) {
			fputs(deals_usage, stderr);
			return EXIT_USAGE;
		}
		if (status)
			return status;
	}
	if (optind < argc) {
		cli_error("deals: unexpected argument '%s'", argv[optind]);
		return EXIT_USAGE;
	}
	status = cli_open_store(&s);
	if (status)
		return status;
	rc = store_export(s, stdout, EXPORT_TABLE, &f, &err);
	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	store_close(s);
	buf_release(&err);
	return cli_finish(status);
}
