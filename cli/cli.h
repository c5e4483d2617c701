/*
 * cli.h: what the subcommands share: global options, opening the database
 * and the rules, mapping DW_* codes to sysexits(3), and one-line errors.
 * Only cli/ prints or exits.
 */
#ifndef DW_CLI_H
#define DW_CLI_H

#include "base/base.h"
#include "extract/extract.h"
#include "store/store.h"

/* sysexits(3) */
enum {
	EX_OK_ = 0,
	EXIT_USAGE = 64,
	EXIT_DATAERR = 65,
	EXIT_NOINPUT = 66,
	EXIT_NOHOST = 68,
	EXIT_SOFTWARE = 70,
	EXIT_CANTCREAT = 73,
	EXIT_IOERR = 74,
	EXIT_TEMPFAIL = 75,
	EXIT_CONFIG = 78,
};

/* Options that every subcommand accepts anywhere on its command line. */
struct cli_global {
	const char *db;    /* --db PATH */
	const char *rules; /* --rules DIR */
	int quiet;
};

extern struct cli_global cli_global;

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* Map a DW_* code to an exit status. */
int cli_exitcode(int rc);

/* Print "dealwire: MESSAGE" (or "dealwire CMD: ...") on stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print the error in err and return the exit status for rc. */
int cli_fail(int rc, const struct buf *err);

/* The database path: --db, $DEALWIRE_DB, then the XDG data directory.
 * Creates the directory of the default path. Caller frees. */
char *cli_db_path(void);

/* Open the database at cli_db_path(); prints and returns an exit status on
 * failure, 0 on success. */
int cli_open_store(struct store **out);

/* Load and compile the rules (--rules, $DEALWIRE_RULES, share, built-in);
 * prints and returns an exit status on failure, 0 on success. */
int cli_open_extractor(struct extractor **out);

/*
 * Report a getopt_long failure (c is '?' or ':', with opterr = 0 and
 * optstring starting with ':') as one line and return EXIT_USAGE.
 */
int cli_bad_option(const char *cmd, int c, char **argv);

/* Flush stdout; a failed write is an I/O error (exit 74). */
int cli_finish(int status);

/*
 * Deal filters shared by `deals` and `export` (cmd_deals.c): opt is the
 * getopt code 'P' party, 'T' type, 'S' status, 's' since, 'u' until.
 * Returns 0 when taken, an exit status after printing, -1 for other codes.
 */
int cli_filter_option(struct deal_filter *f, const char *cmd, int opt,
    const char *arg);

/* Parse a deal id operand (cmd_show.c); 0 or an exit status. */
int cli_deal_id(const char *cmd, const char *arg, int64_t *out);

/* Subcommands. */
int cmd_circles(int argc, char **argv);
int cmd_crawl(int argc, char **argv);
int cmd_deal(int argc, char **argv);
int cmd_deals(int argc, char **argv);
int cmd_export(int argc, char **argv);
int cmd_feed(int argc, char **argv);
int cmd_parse(int argc, char **argv);
int cmd_reextract(int argc, char **argv);
int cmd_rules(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_tag(int argc, char **argv);

#endif
