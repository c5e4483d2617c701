/*
 * cmd_rules.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_rules(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("rules: not implemented yet");
	return EXIT_SOFTWARE;
}
