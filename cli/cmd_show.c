/*
 * cmd_show.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_show(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("show: not implemented yet");
	return EXIT_SOFTWARE;
}
