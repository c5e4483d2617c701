/*
 * cmd_deals.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_deals(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("deals: not implemented yet");
	return EXIT_SOFTWARE;
}
