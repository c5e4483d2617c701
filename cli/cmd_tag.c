/*
 * cmd_tag.c: `dealwire tag`: one JSON line of recognized entities for each
 * input line, for rule authors and the spec scorer.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

#define TAG_MAX_INPUT ((size_t)256 << 20)

static const char tag_usage[] =
    "usage: dealwire tag [--published YYYY-MM-DD] [FILE|-]\n"
    "\n"
    "Print what the recognizers see: for every input line, one JSON line\n"
    "{\"entities\": [...]} with money, percentages, dates and parties and\n"
    "their byte offsets into the line. Reads standard input when FILE is\n"
    "missing or '-'. Relative dates resolve against --published.\n"
    "\n"
    "example:\n"
    "  echo 'This past March, OpenAI invested $350 million in CoreWeave.' |\n"
    "      dealwire tag --published 2025-12-17\n";

int
cmd_tag(int argc, char **argv)
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
			fputs(tag_usage, stdout);
			return cli_finish(0);
		case 'p':
			published = optarg;
			break;
		default:
			return cli_bad_option("tag", c, argv);
		}
	}
	if (argc - optind > 1) {
		cli_error("tag: expected at most one FILE");
		return EXIT_USAGE;
	}
	if (argc - optind == 1)
		path = argv[optind];
	if (published && date_parse_ymd(published, &y, &m, &d) != DW_OK) {
		cli_error("tag: --published '%s' is not a YYYY-MM-DD date",
		    published);
		return EXIT_USAGE;
	}
	status = cli_open_extractor(&x);
	if (status)
		return status;
	rc = file_read(&in, path, TAG_MAX_INPUT, &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		goto out;
	}
	arena_init(&a, (size_t)512 << 20);
	for (size_t pos = 0; pos < in.len;) {
		const char *nl = memchr(in.data + pos, '\n', in.len - pos);
		size_t end = nl ? (size_t)(nl - in.data) : in.len;
		struct span line = { in.data + pos, end - pos };
		struct entity_list ents;

		if (line.len && line.p[line.len - 1] == '\r')
			line.len--;
		buf_reset(&out);
		rc = extract_entities(&ents, x, line, published, &a, &err);
		if (rc != DW_OK) {
			/* One bad line gets an empty answer; the rest go on. */
			cli_error("tag: line at byte %zu: %s", pos, err.data);
			ents.n = 0;
			status = EXIT_DATAERR;
		}
		buf_adds(&out, "{\"entities\": [");
		for (size_t i = 0; i < ents.n; i++) {
			if (i)
				buf_adds(&out, ", ");
			extract_entity_json(&out, &ents.v[i], line);
		}
		buf_adds(&out, "]}\n");
		fwrite(out.data, 1, out.len, stdout);
		arena_reset(&a);
		if (!nl)
			break;
		pos = end + 1;
		if (pos == in.len)
			break;
	}
	arena_release(&a);
out:
	extractor_free(x);
	buf_release(&in);
	buf_release(&out);
	buf_release(&err);
	return cli_finish(status);
}
