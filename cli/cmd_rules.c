/*
 * cmd_rules.c: `dealwire rules check [DIR]` compiles every rule file and
 * reports the first mistake as path:line:col: message (exit 78);
 * `dealwire rules explain [FILE]` shows each sentence as the deal rules
 * see it and which rules matched.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

static const char rules_usage[] =
    "usage: dealwire rules check [DIR]\n"
    "       dealwire rules explain [--published YYYY-MM-DD] [FILE|-]\n"
    "\n"
    "check: compile the rule files of DIR (default: --rules, $DEALWIRE_RULES,\n"
    "the installed rules, else the built-in ones) and report the first\n"
    "mistake as path:line:col: message (exit 78).\n"
    "explain: print each sentence of FILE as the deal rules see it (words\n"
    "and entity placeholders such as @P0 or @M1) and every rule that\n"
    "matched it.\n"
    "\n"
    "examples:\n"
    "  dealwire rules check rules/\n"
    "  echo 'Foo Corp. agreed to buy Bar Inc.' | dealwire rules explain\n";

static int
rules_check(const char *dir)
{
	struct buf err = BUF_INIT;
	struct rule_files rf;
	struct extractor *x = NULL;
	int rc, status = 0;

	rc = rule_files_load(&rf, dir ? dir : cli_global.rules, &err);
	if (rc != DW_OK) {
		status = cli_fail(DW_ECONFIG, &err);
		goto out;
	}
	rc = extractor_open(&x, &rf, &err);
	if (rc != DW_OK) {
		fprintf(stderr, "%s\n", err.data);
		status = EXIT_CONFIG;
	} else {
		printf("%s: %zu rule files ok\n", rf.origin, rf.n);
	}
	extractor_free(x);
	rule_files_release(&rf);
out:
	buf_release(&err);
	return cli_finish(status);
}

static int
rules_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "published", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *published = NULL, *path = "-";
	struct extractor *x = NULL;
	struct buf in = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct arena a;
	int c, y, m, d, rc, status = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, ":hp:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			fputs(rules_usage, stdout);
			return cli_finish(0);
		case 'p':
			published = optarg;
			break;
		default:
			return cli_bad_option("rules explain", c, argv);
		}
	}
	if (argc - optind > 1) {
		cli_error("rules explain: expected at most one FILE");
		return EXIT_USAGE;
	}
	if (argc - optind == 1)
		path = argv[optind];
	if (published && date_parse_ymd(published, &y, &m, &d) != DW_OK) {
		cli_error("rules explain: --published '%s' is not a YYYY-MM-DD "
		          "date",
		    published);
		return EXIT_USAGE;
	}
	arena_init(&a, (size_t)1 << 30);
	status = cli_open_extractor(&x);
	if (status)
		goto out;
	rc = file_read(&in, path, EXTRACT_MAX_TEXT, &err);
	if (rc == DW_OK)
		rc = extract_explain(&out, x, buf_span(&in), published, &a,
		    &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		goto out;
	}
	fwrite(out.data, 1, out.len, stdout);
out:
	extractor_free(x);
	arena_release(&a);
	buf_release(&in);
	buf_release(&out);
	buf_release(&err);
	return cli_finish(status);
}

int
cmd_rules(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0) {
		fputs(rules_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : cli_finish(0);
	}
	if (strcmp(argv[1], "check") == 0) {
		if (argc > 3) {
			cli_error("rules check: expected at most one DIR");
			return EXIT_USAGE;
		}
		return rules_check(argc == 3 ? argv[2] : NULL);
	}
	if (strcmp(argv[1], "explain") == 0)
		return rules_explain(argc - 1, argv + 1);
	cli_error("rules: unknown action '%s' (check or explain)", argv[1]);
	return EXIT_USAGE;
}
