/*
 * What the files of the `pos` command line share: the state of one run,
 * the command handlers the table in cli.c names, and the helpers several
 * groups of commands use. Handlers return a status (POS_OK, ...) and leave
 * a message in c->cause.
 */
#ifndef POS_CLI_INT_H
#define POS_CLI_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "cmdline.h"
#include "config.h"

struct ledger_entry;

struct cli {
	struct config	 cfg;
	bool		 cfg_loaded;
	struct store	*st;
	const char	*config_file;
	const char	*db;
	bool		 json;
	bool		 pin_stdin;
	char		*cause;		/* owned: the message of a failure */
	char		 warning[96];	/* said with a result: stderr, JSON "warning" */
	json_t		*day_backup;	/* owned: the close's backup, for JSON */
};

/* cli.c: print j (and drop it) as the run's one JSON document. */
void		 cli_print_json(json_t *j);

/* cli_value.c */
int		 cli_amount(struct cli *c, const char *what, const char *text,
		    int64_t *out);
int		 cli_date(struct cli *c, const char *what, const char *text);
char		*cli_read_pin(bool from_stdin);	/* caller frees */
json_t		*cli_jqty(int64_t qty);
json_t		*cli_jstr(const char *s);	/* null for NULL */
const char	*cli_money(struct cli *c, int64_t amount, char *buf,
		    size_t len);
const char	*cli_pad(const char *s, size_t width, bool right, char *buf,
		    size_t len);
int		 cli_done(struct cli *c, int rc, char *cause);
const char	*cli_user(struct cli *c, struct cmdline_args *a);
int		 cli_supervisor(struct cli *c, struct cmdline_args *a);

/* cli_entry.c: show an entry (and free it), with its slip's print job. */
json_t		*cli_print_job(struct cli *c, int64_t seq, int64_t id);
int		 cli_entry_out(struct cli *c, struct ledger_entry *e);

/*
 * cli_report.c: the report of session n of date (0: the whole date), after
 * running print job seq or id.
 */
int		 cli_day_out(struct cli *c, const char *date, int64_t session,
		    int64_t print_seq, int64_t print_id);

/* cli_backup.c */
void		 cli_backup_after_close(struct cli *c);

/* cli_sync.c */
void		 cli_sync_after_close(struct cli *c);

/* cli_central.c: pos init --from-central, once the arguments are good. */
int		 cli_init_from_central(struct cli *c, const char *branch,
		    int64_t terminal, const char *name);

/* The commands, by file. */
int	 cmd_show(struct cli *, struct cmdline_args *);
int	 cmd_producer_add(struct cli *, struct cmdline_args *);
int	 cmd_producer_list(struct cli *, struct cmdline_args *);
int	 cmd_product_add(struct cli *, struct cmdline_args *);
int	 cmd_product_set(struct cli *, struct cmdline_args *);
int	 cmd_product_list(struct cli *, struct cmdline_args *);
int	 cmd_import(struct cli *, struct cmdline_args *);
int	 cmd_export(struct cli *, struct cmdline_args *);
int	 cmd_user_add(struct cli *, struct cmdline_args *);
int	 cmd_sell(struct cli *, struct cmdline_args *);
int	 cmd_void(struct cli *, struct cmdline_args *);
int	 cmd_refund(struct cli *, struct cmdline_args *);
int	 cmd_day_open(struct cli *, struct cmdline_args *);
int	 cmd_day_close(struct cli *, struct cmdline_args *);
int	 cmd_payout(struct cli *, struct cmdline_args *);
int	 cmd_cash_in(struct cli *, struct cmdline_args *);
int	 cmd_cash_out(struct cli *, struct cmdline_args *);
int	 cmd_report_x(struct cli *, struct cmdline_args *);
int	 cmd_backup(struct cli *, struct cmdline_args *);
int	 cmd_restore(struct cli *, struct cmdline_args *);
int	 cmd_report_z(struct cli *, struct cmdline_args *);
int	 cmd_report_producers(struct cli *, struct cmdline_args *);
int	 cmd_report_producer(struct cli *, struct cmdline_args *);
int	 cmd_receipt_print(struct cli *, struct cmdline_args *);
int	 cmd_receipt_render(struct cli *, struct cmdline_args *);
int	 cmd_print_queue(struct cli *, struct cmdline_args *);
int	 cmd_sync(struct cli *, struct cmdline_args *);
int	 cmd_verify(struct cli *, struct cmdline_args *);

#endif
