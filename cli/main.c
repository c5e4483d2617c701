/*
 * main.c: global options and the one table that dispatches subcommands.
 * `help` is generated from the table.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

/* clang-format off */
/* Sorted by name. */
static const struct cmd cmds[] = {
	{ "circles",   cmd_circles,   "list circular deals, where money loops back" },
	{ "crawl",     cmd_crawl,     "fetch every feed, store new articles and deals" },
	{ "deal",      cmd_deal,      "curate stored deals: reject, merge" },
	{ "deals",     cmd_deals,     "list stored deals as a table" },
	{ "export",    cmd_export,    "write stored deals as CSV, JSON, JSONL or DOT" },
	{ "feed",      cmd_feed,      "add, list, remove, import, export or parse feeds" },
	{ "help",      cmd_help,      "show this help, or a command's with 'help CMD'" },
	{ "parse",     cmd_parse,     "extract deals from one article (file, URL or stdin)" },
	{ "reextract", cmd_reextract, "run the current rules over stored articles" },
	{ "rules",     cmd_rules,     "check rule files" },
	{ "show",      cmd_show,      "show one deal with every source and its history" },
	{ "tag",       cmd_tag,       "show the money, percentages, dates and parties found" },
	{ "version",   cmd_version,   "print the version" },
};
/* clang-format on */

struct cli_global cli_global;

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: dealwire [--db PATH] [--rules DIR] COMMAND [ARGS]\n\n"
	    "Turn business news into a database of deals.\n\n"
	    "commands:\n");
	for (size_t i = 0; i < countof(cmds); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].summary);
	fprintf(f,
	    "\nglobal options (accepted anywhere):\n"
	    "  --db PATH     the deal database (default: $DEALWIRE_DB, "
	    "then\n"
	    "                $XDG_DATA_HOME/dealwire/deals.db)\n"
	    "  --rules DIR   the rule directory (default: "
	    "$DEALWIRE_RULES, then\n"
	    "                the installed rules, then the built-in "
	    "ones)\n"
	    "  -h, --help    help; 'dealwire COMMAND --help' for a "
	    "command's\n"
	    "  --version     print the version\n");
}

static const struct cmd *
find_cmd(const char *name)
{
	for (size_t i = 0; i < countof(cmds); i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static int
cmd_help(int argc, char **argv)
{
	const struct cmd *c;
	char *args[] = { NULL, (char *)(uintptr_t) "--help", NULL };

	if (argc < 2) {
		usage(stdout);
		return cli_finish(0);
	}
	c = find_cmd(argv[1]);
	if (!c || c->fn == cmd_help) {
		cli_error("help: unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	args[0] = argv[1];
	return c->fn(2, args);
}

static int
cmd_version(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	printf("dealwire %s\n", DW_VERSION);
	return cli_finish(0);
}

/*
 * Take the global options out of argv, wherever they stand, so that every
 * subcommand accepts them after its operands too. Stops at "--".
 */
static int
strip_globals(int *argc, char **argv)
{
	int out = 0;

	for (int i = 0; i < *argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL;
		size_t n = 0;

		if (strcmp(a, "--") == 0) {
			while (i < *argc)
				argv[out++] = argv[i++];
			break;
		}
		if (strncmp(a, "--db", 4) == 0 &&
		    (a[4] == '\0' || a[4] == '=')) {
			slot = &cli_global.db;
			n = 4;
		} else if (strncmp(a, "--rules", 7) == 0 &&
		    (a[7] == '\0' || a[7] == '=')) {
			slot = &cli_global.rules;
			n = 7;
		}
		if (!slot) {
			argv[out++] = argv[i];
			continue;
		}
		if (a[n] == '=') {
			*slot = a + n + 1;
		} else if (i + 1 < *argc) {
			*slot = argv[++i];
		} else {
			cli_error("option '%s' needs a value", a);
			return -1;
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int
main(int argc, char **argv)
{
	const struct cmd *c;

	/* Subcommands report option errors themselves, in one line. */
	opterr = 0;
	if (strip_globals(&argc, argv) != 0)
		return EXIT_USAGE;
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		usage(stdout);
		return cli_finish(0);
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0)
		return cmd_version(0, NULL);
	c = find_cmd(argv[1]);
	if (!c) {
		cli_error("unknown command '%s' (see 'dealwire help')",
		    argv[1]);
		return EXIT_USAGE;
	}
	return c->fn(argc - 1, argv + 1);
}
