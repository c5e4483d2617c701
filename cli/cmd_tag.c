/*
 * cmd_tag.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_tag(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("tag: not implemented yet");
	return EXIT_SOFTWARE;
}
