/*
 * cmd_feed.c: `dealwire feed`: parse one feed document, and keep the list
 * of feeds the crawl reads (add, list, remove, import and export OPML).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "cli/cli.h"
#include "fetch/fetch.h"

#define FEED_MAX_INPUT ((size_t)64 << 20)

static const char feed_usage[] =
    "usage: dealwire feed parse FILE [--base URL] [--content-type TYPE]\n"
    "                           [--content-location URL] [--format json]\n"
    "       dealwire feed add URL|PATH [--allow-private]\n"
    "       dealwire feed list [--format text|json]\n"
    "       dealwire feed remove URL|ID\n"
    "       dealwire feed import FILE.opml\n"
    "       dealwire feed export\n"
    "\n"
    "parse   read one RSS or Atom document (FILE, or - for standard input)\n"
    "        as if fetched from URL with that Content-Type and\n"
    "        Content-Location, and print it as JSON; exits 65 when it is\n"
    "        no feed at all\n"
    "add     add a feed; a web page (URL or saved PATH) is searched for\n"
    "        the feeds it links; a URL that cannot be fetched now is added\n"
    "        as given; --allow-private allows loopback and private addresses\n"
    "list    each feed with its state: title, last fetch, status, errors\n"
    "remove  forget a feed, by URL or id\n"
    "import  add every feed of an OPML file\n"
    "export  print the feeds as OPML\n"
    "\n"
    "examples:\n"
    "  dealwire feed parse news.xml --base https://example.com/feed\n"
    "  dealwire feed add https://example.com/\n"
    "  dealwire feed import subscriptions.opml\n";

/* "cannot parse feed 'X': why" naming name instead of X. */
static int
fail_named(int rc, const struct buf *err, const char *name)
{
	const char *why = strstr(err->data, "': ");

	if (strncmp(err->data, "cannot parse feed '", 19) == 0 && why) {
		cli_error("cannot parse feed '%s': %s", name, why + 3);
		return cli_exitcode(rc);
	}
	return cli_fail(rc, err);
}

static int
feed_parse(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "base", required_argument, NULL, 'b' },
		{ "content-location", required_argument, NULL, 'l' },
		{ "content-type", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *base = NULL, *ctype = NULL, *cloc = NULL, *path;
	struct buf in = BUF_INIT, out = BUF_INIT, err = BUF_INIT;
	struct arena a;
	struct feed f;
	int c, rc, status = 0;

	optind = 1;
	while (
	    (c = getopt_long(argc, argv, "b:c:f:hl:", longopts, NULL)) != -1) {
		switch (c) {
		case 'b':
			base = optarg;
			break;
		case 'c':
			ctype = optarg;
			break;
		case 'l':
			cloc = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "json") != 0) {
				cli_error("feed parse: unknown format '%s' "
				          "(json is the one)",
				    optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			fputs(feed_usage, stdout);
			return cli_finish(0);
		default:
			fputs(feed_usage, stderr);
			return EXIT_USAGE;
		}
	}
	if (argc - optind != 1) {
		cli_error("feed parse: expected one FILE");
		return EXIT_USAGE;
	}
	path = argv[optind];
	rc = file_read(&in, path, FEED_MAX_INPUT, &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		goto out;
	}
	arena_init(&a, (size_t)1 << 30);
	if (cloc)
		base = fetch_feed_base(base, cloc, &a);
	rc = fetch_feed_parse(&f, buf_span(&in), base, ctype, &a, &err);
	if (rc != DW_OK) {
		status = fail_named(rc, &err, path);
	} else {
		fetch_feed_json(&out, &f);
		fwrite(out.data, 1, out.len, stdout);
		status = cli_finish(0);
	}
	arena_release(&a);
out:
	buf_release(&in);
	buf_release(&out);
	buf_release(&err);
	return status;
}

/* Parse the options every management subcommand takes; -1 on error. */
static int
mgmt_opts(int argc, char **argv, int *allow_private, int *json)
{
	static const struct option longopts[] = {
		{ "allow-private", no_argument, NULL, 'P' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "f:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'P':
			if (!allow_private)
				goto bad;
			*allow_private = 1;
			break;
		case 'f':
			if (!json ||
			    (strcmp(optarg, "json") &&
			        strcmp(optarg, "text"))) {
				cli_error("feed %s: unknown format '%s'",
				    argv[0], optarg);
				return EXIT_USAGE;
			}
			*json = !strcmp(optarg, "json");
			break;
		case 'h':
			fputs(feed_usage, stdout);
			return -2;
		default:
			goto bad;
		}
	}
	return 0;
bad:
	fputs(feed_usage, stderr);
	return EXIT_USAGE;
}

/* Store the title of the feed at url, when it has none yet. */
static void
set_title(struct store *st, const char *url, const char *title, struct arena *a)
{
	struct feed_state *v;
	struct buf err = BUF_INIT;
	size_t n;

	if (!title || !*title || store_feed_list(st, &v, &n, a, &err) != DW_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].url, url) != 0 || (v[i].title && *v[i].title))
			continue;
		v[i].title = title;
		store_feed_update(st, &v[i], &err);
		break;
	}
out:
	buf_release(&err);
}

/* Add url; 0, or the exit status after printing why not. */
static int
add_one(struct store *st, const char *url, const char *title, struct arena *a)
{
	struct buf err = BUF_INIT;
	int rc = store_feed_add(st, url, &err);

	if (rc != DW_OK) {
		int status = cli_fail(rc, &err);

		buf_release(&err);
		return status;
	}
	set_title(st, url, title, a);
	if (!cli_global.quiet)
		printf("added %s%s%s%s\n", url, title ? " (" : "",
		    title ? title : "", title ? ")" : "");
	buf_release(&err);
	return 0;
}

static int
feed_add(int argc, char **argv)
{
	int allow_private = 0, status, rc;
	struct store *st = NULL;
	struct fetch_result res;
	struct fetch_opts o;
	struct buf err = BUF_INIT, page = BUF_INIT;
	struct arena a;
	struct feed f;
	const char *arg, *base = NULL, *ctype = NULL;
	char **found;
	size_t nfound;

	status = mgmt_opts(argc, argv, &allow_private, NULL);
	if (status)
		return status == -2 ? cli_finish(0) : status;
	if (argc - optind != 1) {
		cli_error("feed add: expected one URL or PATH");
		return EXIT_USAGE;
	}
	arg = argv[optind];
	arena_init(&a, (size_t)256 << 20);
	fetch_result_init(&res);
	if (fetch_is_url(arg)) {
		fetch_opts_init(&o);
		o.allow_private = allow_private;
		o.connect_timeout = 10;
		o.timeout = 20;
		rc = fetch_url(&res, arg, &o, &err);
		if (rc == DW_OK && (res.status < 200 || res.status > 299)) {
			buf_setf(&err, "cannot fetch '%s': HTTP status %ld",
			    arg, res.status);
			rc = DW_EAGAIN;
		}
		if (rc != DW_OK) {
			/*
			 * Unreachable now is no reason to refuse a feed: it is
			 * added as given, and the crawl will tell.
			 */
			status = cli_open_store(&st);
			if (status)
				goto out;
			if (!cli_global.quiet)
				cli_error("%s; added as given", err.data);
			status = add_one(st, arg, NULL, &a);
			goto out;
		}
		base = res.permanent_url ? res.permanent_url
		    : res.effective_url  ? res.effective_url
		                         : arg;
		ctype = res.content_type;
		buf_add(&page, res.body.data, res.body.len);
	} else {
		rc = file_read(&page, arg, FETCH_MAX_BODY, &err);
		if (rc != DW_OK) {
			status = cli_fail(rc, &err);
			goto out;
		}
	}
	status = cli_open_store(&st);
	if (status)
		goto out;
	/* a feed itself is added as it is (a URL; a file has none) */
	if (fetch_feed_parse(&f, buf_span(&page), base, ctype, &a, &err) ==
	    DW_OK) {
		status = add_one(st,
		    res.permanent_url ? res.permanent_url : arg, f.title, &a);
		goto out;
	}
	fetch_feed_discover(&found, &nfound, buf_span(&page), base, &a);
	if (nfound == 0) {
		cli_error("no feed found in '%s': it is no RSS or Atom feed "
		          "and links none",
		    arg);
		status = EXIT_DATAERR;
		goto out;
	}
	if (!cli_global.quiet && nfound > 1)
		printf("'%s' links %zu feeds; adding the first\n", arg, nfound);
	status = add_one(st, found[0], NULL, &a);
out:
	store_close(st);
	fetch_result_release(&res);
	arena_release(&a);
	buf_release(&page);
	buf_release(&err);
	return status ? status : cli_finish(0);
}

static void
fmt_time(char *out, size_t n, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t <= 0 || !gmtime_r(&tt, &tm)) {
		snprintf(out, n, "never");
		return;
	}
	strftime(out, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/*
 * The stored feeds for `feed list` and `feed export`, which take no
 * operands. On failure (an exit status) the store and arena are released.
 */
static int
feeds_read(const char *cmd, int argc, struct store **st, struct arena *a,
    struct feed_state **v, size_t *n)
{
	struct buf err = BUF_INIT;
	int status, rc;

	if (argc != optind) {
		cli_error("feed %s: takes no operands", cmd);
		return EXIT_USAGE;
	}
	status = cli_open_store(st);
	if (status)
		return status;
	arena_init(a, (size_t)256 << 20);
	rc = store_feed_list(*st, v, n, a, &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		store_close(*st);
		*st = NULL;
		arena_release(a);
	}
	buf_release(&err);
	return status;
}

static int
feed_list(int argc, char **argv)
{
	struct store *st = NULL;
	struct feed_state *v;
	struct buf out = BUF_INIT;
	struct arena a;
	size_t n;
	int json = 0, status;

	status = mgmt_opts(argc, argv, NULL, &json);
	if (status)
		return status == -2 ? cli_finish(0) : status;
	status = feeds_read("list", argc, &st, &a, &v, &n);
	if (status)
		return status;
	if (json)
		buf_adds(&out, "[");
	for (size_t i = 0; i < n; i++) {
		char when[32];

		fmt_time(when, sizeof(when), v[i].last_fetch);
		if (json) {
			buf_addf(&out,
			    "%s\n {\"id\": %lld, \"url\": ", i ? "," : "",
			    (long long)v[i].id);
			buf_json_str(&out, v[i].url);
			buf_adds(&out, ", \"title\": ");
			buf_json_str(&out, v[i].title);
			buf_adds(&out, ", \"last_fetch\": ");
			if (v[i].last_fetch > 0)
				buf_json_str(&out, when);
			else
				buf_adds(&out, "null");
			buf_addf(&out,
			    ", \"last_status\": %ld, "
			    "\"last_error\": ",
			    v[i].last_status);
			buf_json_str(&out, v[i].last_error);
			buf_addf(&out, ", \"failures\": %d}", v[i].failures);
			continue;
		}
		buf_addf(&out, "%lld\t%s\n", (long long)v[i].id,
		    v[i].title && *v[i].title ? v[i].title : "(no title yet)");
		buf_addf(&out, "\t%s\n\tlast fetch %s", v[i].url, when);
		if (v[i].last_status)
			buf_addf(&out, ", status %ld", v[i].last_status);
		if (v[i].failures)
			buf_addf(&out, ", %d failure%s in a row", v[i].failures,
			    v[i].failures == 1 ? "" : "s");
		buf_addch(&out, '\n');
		if (v[i].last_error && *v[i].last_error)
			buf_addf(&out, "\terror: %s\n", v[i].last_error);
	}
	if (json)
		buf_adds(&out, n ? "\n]\n" : "]\n");
	else if (n == 0 && !cli_global.quiet)
		fputs("no feeds yet: dealwire feed add URL\n", stderr);
	fwrite(out.data, 1, out.len, stdout);
	status = cli_finish(0);
	store_close(st);
	arena_release(&a);
	buf_release(&out);
	return status;
}

static int
feed_remove(int argc, char **argv)
{
	struct store *st = NULL;
	struct buf err = BUF_INIT;
	int status, rc;

	status = mgmt_opts(argc, argv, NULL, NULL);
	if (status)
		return status == -2 ? cli_finish(0) : status;
	if (argc - optind != 1) {
		cli_error("feed remove: expected one URL or ID");
		return EXIT_USAGE;
	}
	status = cli_open_store(&st);
	if (status)
		return status;
	rc = store_feed_remove(st, argv[optind], &err);
	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	else if (!cli_global.quiet)
		printf("removed %s\n", argv[optind]);
	store_close(st);
	buf_release(&err);
	return status ? status : cli_finish(0);
}

static int
feed_import(int argc, char **argv)
{
	struct store *st = NULL;
	struct buf err = BUF_INIT, doc = BUF_INIT;
	struct opml_outline *v;
	struct arena a;
	size_t n, added = 0, known = 0;
	int status, rc;

	status = mgmt_opts(argc, argv, NULL, NULL);
	if (status)
		return status == -2 ? cli_finish(0) : status;
	if (argc - optind != 1) {
		cli_error("feed import: expected one OPML FILE");
		return EXIT_USAGE;
	}
	arena_init(&a, (size_t)256 << 20);
	rc = file_read(&doc, argv[optind], FETCH_MAX_BODY, &err);
	if (rc == DW_OK)
		rc = fetch_opml_parse(&v, &n, buf_span(&doc), argv[optind], &a,
		    &err);
	if (rc != DW_OK) {
		status = cli_fail(rc, &err);
		goto out;
	}
	status = cli_open_store(&st);
	if (status)
		goto out;
	for (size_t i = 0; i < n; i++) {
		if (!fetch_is_url(v[i].url)) {
			cli_error("feed import: skipped '%s': not an http(s) "
			          "URL",
			    v[i].url);
			continue;
		}
		rc = store_feed_add(st, v[i].url, &err);
		if (rc == DW_EEXISTS) {
			known++;
			continue;
		}
		if (rc != DW_OK) {
			status = cli_fail(rc, &err);
			goto out;
		}
		set_title(st, v[i].url, v[i].title, &a);
		added++;
	}
	if (!cli_global.quiet)
		printf("imported %zu feed%s from %s (%zu already known)\n",
		    added, added == 1 ? "" : "s", argv[optind], known);
out:
	store_close(st);
	arena_release(&a);
	buf_release(&doc);
	buf_release(&err);
	return status ? status : cli_finish(0);
}

static int
feed_export(int argc, char **argv)
{
	struct store *st = NULL;
	struct feed_state *v;
	struct opml_outline *o;
	struct buf out = BUF_INIT;
	struct arena a;
	size_t n;
	int status;

	status = mgmt_opts(argc, argv, NULL, NULL);
	if (status)
		return status == -2 ? cli_finish(0) : status;
	status = feeds_read("export", argc, &st, &a, &v, &n);
	if (status)
		return status;
	o = NEW(&a, struct opml_outline, n ? n : 1);
	for (size_t i = 0; o && i < n; i++) {
		o[i].url = (char *)(uintptr_t)v[i].url;
		o[i].title = (char *)(uintptr_t)v[i].title;
		o[i].html_url = NULL;
	}
	fetch_opml_write(&out, "dealwire feeds", o, o ? n : 0);
	fwrite(out.data, 1, out.len, stdout);
	status = cli_finish(0);
	store_close(st);
	arena_release(&a);
	buf_release(&out);
	return status;
}

int
cmd_feed(int argc, char **argv)
{
	if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		fputs(feed_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? EXIT_USAGE : cli_finish(0);
	}
	if (!strcmp(argv[1], "parse"))
		return feed_parse(argc - 1, argv + 1);
	if (!strcmp(argv[1], "add"))
		return feed_add(argc - 1, argv + 1);
	if (!strcmp(argv[1], "list"))
		return feed_list(argc - 1, argv + 1);
	if (!strcmp(argv[1], "remove"))
		return feed_remove(argc - 1, argv + 1);
	if (!strcmp(argv[1], "import"))
		return feed_import(argc - 1, argv + 1);
	if (!strcmp(argv[1], "export"))
		return feed_export(argc - 1, argv + 1);
	cli_error("feed: unknown subcommand '%s'", argv[1]);
	return EXIT_USAGE;
}
