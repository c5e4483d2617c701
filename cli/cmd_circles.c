/*
 * cmd_circles.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_circles(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("circles: not implemented yet");
	return EXIT_SOFTWARE;
}
