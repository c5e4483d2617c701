/*
 * cmd_deal.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_deal(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("deal: not implemented yet");
	return EXIT_SOFTWARE;
}
