/*
 * The window's terminal UI (ncursesw): what `pos` with no command starts
 * on a terminal. Every action calls the same domain functions as the CLI.
 */
#ifndef POS_TUI_H
#define POS_TUI_H

/*
 * Run the UI. config_file (--config) and db (--db) may be NULL. Loads the
 * configuration and opens the store before touching the terminal, so an
 * error there is printed plainly. Returns an exit status (POS_OK, ...).
 */
int	 tui_main(const char *config_file, const char *db);

#endif
