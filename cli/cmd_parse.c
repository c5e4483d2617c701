/*
 * cmd_parse.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_parse(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("parse: not implemented yet");
	return EXIT_SOFTWARE;
}
