/*
 * cmd_parse.c: `dealwire parse`: one article from a file, a URL or standard
 * input; its deals as CONTRACT.md JSON or as a table for a person.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "fetch/fetch.h"

static const char parse_usage[] =
    "usage: dealwire parse [FILE|URL|-] [--published YYYY-MM-DD]\n"
    "                      [--format text|json] [--title TEXT] [--store]\n"
    "\n"
    "Extract the deals one article reports. The article is a text or HTML\n"
    "file, an http(s) URL fetched now, or standard input ('-' or nothing).\n"
    "HTML goes through the article extractor first. Relative dates (\"this\n"
    "past March\") resolve against --published, else the page's own date.\n"
    "\n"
    "  --format json   CONTRACT.md's JSON (the default when not a terminal)\n"
    "  --format text   a table for a person (the default on a terminal)\n"
    "  --store         also store the article and its deals in the database\n"
    "\n"
    "examples:\n"
    "  dealwire parse --published 2025-12-17 article.txt\n"
    "  dealwire parse https://example.com/news/deal.html --format json\n";

/* Looks like markup: the first non-blank byte opens a tag. */
static int
looks_like_html(struct span s)
{
	size_t i = 0;

	if (s.len >= 3 && memcmp(s.p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < s.len &&
	    (s.p[i] == ' ' || s.p[i] == '\t' || s.p[i] == '\r' ||
	        s.p[i] == '\n'))
		i++;
	return i < s.len && s.p[i] == '<';
}

static void
print_amount(struct buf *b, const struct amount *m)
{
	static const char *const q[] = { "", "up to ", "over ", "about ", "" };
	double v = m->value;

	if (m->qualifier == Q_RANGE)
		buf_addf(b, "%.4g-",
		    m->low >= 1e9 ? m->low / 1e9 : m->low / 1e6);
	else
		buf_adds(b, q[m->qualifier]);
	if (v >= 1e9)
		buf_addf(b, "%.4g bn %s", v / 1e9, m->currency);
	else if (v >= 1e6)
		buf_addf(b, "%.4g m %s", v / 1e6, m->currency);
	else
		buf_addf(b, "%.0f %s", v, m->currency);
}

static void
print_table(const struct deal_list *deals)
{
	struct buf line = BUF_INIT, parties = BUF_INIT;

	if (deals->n == 0) {
		printf("no deals found\n");
		return;
	}
	printf("%-12s %-36s %-22s %-10s %s\n", "TYPE", "PARTIES", "AMOUNT",
	    "STATUS", "DATE");
	for (size_t i = 0; i < deals->n; i++) {
		const struct deal *d = &deals->v[i];

		buf_reset(&line);
		buf_reset(&parties);
		for (size_t k = 0; k < d->nparties; k++) {
			if (k)
				buf_adds(&parties,
				    d->type == DEAL_MERGER ||
				            d->type == DEAL_PARTNERSHIP
				        ? " + "
				        : " -> ");
			buf_adds(&parties, d->parties[k].name);
		}
		if (d->has_amount)
			print_amount(&line, &d->amount);
		else if (d->has_stake)
			buf_addf(&line, "%g%% stake", d->stake);
		printf("%-12s %-36s %-22s %-10s %s\n", deal_type_name(d->type),
		    parties.data, line.data,
		    d->status ? deal_status_name(d->status) : "-",
		    d->date.value[0] ? d->date.value : "-");
	}
	buf_release(&line);
	buf_release(&parties);
}

int
cmd_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "published", required_argument, NULL, 'p' },
		{ "store", no_argument, NULL, 's' },
		{ "title", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	const char *published = NULL, *src = "-", *format = NULL;
	const char *title = NULL, *url = NULL;
	int store_it = 0, c, y, m, d, rc, status = 0;
	struct extractor *x = NULL;
	struct store *st = NULL;
	struct buf in = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct fetch_result res;
	struct article_page page = { NULL, NULL, NULL, NULL };
	struct deal_list deals = { NULL, 0 };
	struct span text;
	struct arena a;
	char pubbuf[11] = "";

	fetch_result_init(&res);
	arena_init(&a, (size_t)1 << 30);
	optind = 1;
	while (
	    (c = getopt_long(argc, argv, ":f:hp:st:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			format = optarg;
			break;
		case 'h':
			fputs(parse_usage, stdout);
			return cli_finish(0);
		case 'p':
			published = optarg;
			break;
		case 's':
			store_it = 1;
			break;
		case 't':
			title = optarg;
			break;
		default:
			return cli_bad_option("parse", c, argv);
		}
	}
	if (argc - optind > 1) {
		cli_error("parse: expected one FILE, URL or '-'");
		return EXIT_USAGE;
	}
	if (argc - optind == 1)
		src = argv[optind];
	if (!format)
		format = isatty(1) ? "text" : "json";
	if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
		cli_error("parse: unknown --format '%s' (text or json)",
		    format);
		return EXIT_USAGE;
	}
	if (published && date_parse_ymd(published, &y, &m, &d) != DW_OK) {
		cli_error("parse: --published '%s' is not a YYYY-MM-DD date",
		    published);
		return EXIT_USAGE;
	}
	status = cli_open_extractor(&x);
	if (status)
		goto out;

	if (fetch_is_url(src)) {
		struct fetch_opts o;

		fetch_opts_init(&o);
		url = src;
		rc = fetch_url(&res, src, &o, &err);
		if (rc != DW_OK) {
			status = cli_fail(rc, &err);
			goto out;
		}
		text = buf_span(&res.body);
	} else {
		rc = file_read(&in, src, EXTRACT_MAX_TEXT, &err);
		if (rc != DW_OK) {
			status = cli_fail(rc, &err);
			goto out;
		}
		text = buf_span(&in);
	}
	if (looks_like_html(text)) {
		rc = fetch_article_extract(&page, text, url, &a, &err);
		if (rc != DW_OK) {
			status = cli_fail(rc, &err);
			goto out;
		}
		text = span_cstr(page.text);
		if (!title)
			title = page.title;
		if (page.canonical)
			url = page.canonical;
		if (!published && page.published &&
		    strlen(page.published) >= 10) {
			memcpy(pubbuf, page.published, 10);
			if (date_parse_ymd(pubbuf, &y, &m, &d) == DW_OK)
				published = pubbuf;
		}
	}
	rc = extract_deals(&deals, x, text, published, &a, &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		goto out;
	}
	if (err.len && !cli_global.quiet)
		cli_error("parse: %s", err.data); /* a rule passed its limit */
	if (store_it) {
		/* A file's source is its path (CONTRACT.md: "URL or path"). */
		struct article_rec rec = { 0, url, NULL, title, published, text,
			NULL };

		if (!rec.url && strcmp(src, "-") != 0)
			rec.url = src;

		status = cli_open_store(&st);
		if (status)
			goto out;
		rc = store_article_put(st, &rec, &deals, NULL, NULL, &err);
		if (rc != DW_OK && rc != DW_EEXISTS) {
			status = cli_fail(rc, &err);
			goto out;
		}
	}
	if (strcmp(format, "text") == 0) {
		print_table(&deals);
	} else {
		buf_adds(&out, "{\"article\": {\"title\": ");
		buf_json_str(&out, title);
		buf_adds(&out, ", \"url\": ");
		buf_json_str(&out, url);
		buf_adds(&out, ", \"published\": ");
		buf_json_str(&out, published);
		buf_adds(&out, "},\n \"deals\": [");
		for (size_t i = 0; i < deals.n; i++) {
			buf_adds(&out, i ? ",\n  " : "\n  ");
			extract_deal_json(&out, &deals.v[i], text);
		}
		buf_adds(&out, deals.n ? "\n ]}\n" : "]}\n");
		fwrite(out.data, 1, out.len, stdout);
	}
out:
	store_close(st);
	extractor_free(x);
	fetch_result_release(&res);
	arena_release(&a);
	buf_release(&in);
	buf_release(&out);
	buf_release(&err);
	return cli_finish(status);
}
