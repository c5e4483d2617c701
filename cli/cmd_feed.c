/*
 * cmd_feed.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_feed(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("feed: not implemented yet");
	return EXIT_SOFTWARE;
}
