/*
 * cmd_reextract.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_reextract(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("reextract: not implemented yet");
	return EXIT_SOFTWARE;
}
