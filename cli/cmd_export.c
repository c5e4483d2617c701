/*
 * cmd_export.c: placeholder until the subcommand lands; fails honestly.
 */
#include "cli/cli.h"

int
cmd_export(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	cli_error("export: not implemented yet");
	return EXIT_SOFTWARE;
}
