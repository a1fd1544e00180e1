#include <locale.h>

#include "cli.h"
#include "tui.h"

int
main(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	return cli_main(argc, argv, tui_main);
}
