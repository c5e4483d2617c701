/*
 * cmd_show.c: `dealwire show ID`: one deal with every field, every source
 * and its evidence sentence, the status history and conflicting figures.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"

static const char show_usage[] =
    "usage: dealwire show ID\n"
    "\n"
    "Show one stored deal: its type, parties, figures, status and date,\n"
    "its status history (dated by the articles that reported it), every\n"
    "source with the evidence sentence, and figures the sources disagree\n"
    "on.\n"
    "\n"
    "example:\n"
    "  dealwire show 12\n";

int
cli_deal_id(const char *cmd, const char *arg, int64_t *out)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(arg, &end, 10);
	if (errno || *end || end == arg || v <= 0) {
		cli_error("%s: '%s' is not a deal id", cmd, arg);
		return EXIT_USAGE;
	}
	*out = v;
	return 0;
}

int
cmd_show(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct store *s = NULL;
	struct buf err = BUF_INIT;
	int64_t id;
	int c, rc, status;

	optind = 1;
	while ((c = getopt_long(argc, argv, "h", longopts, NULL)) != -1) {
		if (c == 'h') {
			fputs(show_usage, stdout);
			return cli_finish(0);
		}
		fputs(show_usage, stderr);
		return EXIT_USAGE;
	}
	if (argc - optind != 1) {
		cli_error("show: expected one deal ID");
		return EXIT_USAGE;
	}
	status = cli_deal_id("show", argv[optind], &id);
	if (status)
		return status;
	status = cli_open_store(&s);
	if (status)
		return status;
	rc = store_deal_show(s, stdout, id, &err);
	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	store_close(s);
	buf_release(&err);
	return cli_finish(status);
}
