/*
 * cmd_crawl.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_crawl(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("crawl: not implemented yet");
	return EXIT_SOFTWARE;
}
