/*
 * common.c: what every subcommand shares: exit statuses, error lines, the
 * database path and opening the store and the rules.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"

int
cli_exitcode(int rc)
{
	switch (rc) {
	case DW_OK:
		return 0;
	case DW_EUSAGE:
		return EXIT_USAGE;
	case DW_EPARSE:
	case DW_ETOOBIG:
	case DW_EEXISTS:
		return EXIT_DATAERR;
	case DW_ENOTFOUND:
		return EXIT_NOINPUT;
	case DW_ENOHOST:
		return EXIT_NOHOST;
	case DW_ECREATE:
		return EXIT_CANTCREAT;
	case DW_EIO:
		return EXIT_IOERR;
	case DW_EAGAIN:
	case DW_ELOCKED:
		return EXIT_TEMPFAIL;
	case DW_ECONFIG:
		return EXIT_CONFIG;
	default:
		return EXIT_SOFTWARE;
	}
}

void
cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("dealwire: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int
cli_fail(int rc, const struct buf *err)
{
	cli_error("%s", err && err->len ? err->data : "unexpected failure");
	return cli_exitcode(rc);
}

static int
mkdir_p(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) != 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		return -1;
	return 0;
}

char *
cli_db_path(void)
{
	const char *env = getenv("DEALWIRE_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;
	char *dir;

	if (cli_global.db)
		return xstrdup(cli_global.db);
	if (env && *env)
		return xstrdup(env);
	/* XDG Base Directory: a relative XDG_DATA_HOME is invalid, ignore it. */
	if (xdg && xdg[0] == '/')
		buf_addf(&b, "%s/dealwire", xdg);
	else
		buf_addf(&b, "%s/.local/share/dealwire",
		    home && *home ? home : "/tmp");
	dir = xstrdup(b.data);
	mkdir_p(dir);
	free(dir);
	buf_adds(&b, "/deals.db");
	return buf_detach(&b, NULL);
}

int
cli_open_store(struct store **out)
{
	struct buf err = BUF_INIT;
	char *path = cli_db_path();
	int rc = store_open(out, path, &err);
	int status = 0;

	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	buf_release(&err);
	free(path);
	return status;
}

int
cli_open_extractor(struct extractor **out)
{
	struct buf err = BUF_INIT;
	struct rule_files rf;
	int rc, status = 0;

	rc = rule_files_load(&rf, cli_global.rules, &err);
	if (rc != DW_OK) {
		/* A rule directory that cannot be read is a configuration error. */
		status = cli_fail(DW_ECONFIG, &err);
		goto out;
	}
	rc = extractor_open(out, &rf, &err);
	if (rc != DW_OK)
		status = cli_fail(rc, &err);
	rule_files_release(&rf);
out:
	buf_release(&err);
	return status;
}

int
cli_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "dealwire: cannot write output: %s\n",
		    strerror(errno));
		return status ? status : EXIT_IOERR;
	}
	return status;
}

int
cli_bad_option(const char *cmd, int c, char **argv)
{
	const char *opt = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		cli_error("%s: option '%s' needs a value (see 'dealwire %s "
		          "--help')",
		    cmd, opt, cmd);
	else
		cli_error("%s: unknown option '%s' (see 'dealwire %s --help')",
		    cmd, opt, cmd);
	return EXIT_USAGE;
}
