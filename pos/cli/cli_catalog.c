/*
 * Master data on the command line: producers, products, users, CSV import
 * and export.
 */
#include "cli_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "catalog.h"
#include "cause.h"
#include "cmdline.h"
#include "csvio.h"
#include "money.h"
#include "store.h"
#include "user.h"

int
cmd_producer_add(struct cli *c, struct cmdline_args *a)
{
	char *cause = NULL;
	int rc;

	rc = catalog_producer_add(c->st, a->pos[0], a->pos[1],
	    cmdline_opt(a, "phone"), &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "code", json_string(a->pos[0]));
		json_object_set_new(j, "name", json_string(a->pos[1]));
		cli_print_json(j);
	} else
		printf("producer %s added\n", a->pos[0]);
	return POS_OK;
}

/* Where a producer or product comes from, as listed. */
static const char *
cli_origin(bool central)
{
	return central ? "central" : "local";
}

int
cmd_producer_list(struct cli *c, struct cmdline_args *a)
{
	struct producer *p;
	char *cause = NULL;
	size_t n, i;
	int rc;

	(void)a;
	if ((rc = catalog_producer_list(c->st, &p, &n, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object(), *arr = json_array();

		for (i = 0; i < n; i++) {
			json_t *o = json_object();

			json_object_set_new(o, "code", json_string(p[i].code));
			json_object_set_new(o, "name", json_string(p[i].name));
			json_object_set_new(o, "phone", cli_jstr(p[i].phone));
			json_object_set_new(o, "central",
			    json_boolean(p[i].central));
			json_object_set_new(o, "conflict",
			    cli_jstr(p[i].conflict));
			json_array_append_new(arr, o);
		}
		json_object_set_new(j, "producers", arr);
		cli_print_json(j);
	} else
		for (i = 0; i < n; i++)
			printf("%-12s %-7s %s%s%s%s%s\n", p[i].code,
			    cli_origin(p[i].central), p[i].name,
			    p[i].phone != NULL ? "  " : "",
			    p[i].phone != NULL ? p[i].phone : "",
			    p[i].conflict != NULL ? "  CONFLICT: " : "",
			    p[i].conflict != NULL ? p[i].conflict : "");
	catalog_producers_free(p, n);
	return POS_OK;
}

static int
cli_unit(struct cli *c, const char *unit)
{
	if (unit != NULL && strcmp(unit, "piece") != 0 && strcmp(unit, "kg") != 0)
		return cause_set(&c->cause, POS_INPUT,
		    "--unit: must be piece or kg, got "
		    "\"%s\"", unit);
	return POS_OK;
}

int
cmd_product_add(struct cli *c, struct cmdline_args *a)
{
	int dec = c->cfg.currency.decimals;
	const char *unit = cmdline_opt(a, "unit");
	const char *producer = cmdline_opt(a, "producer");
	char *cause = NULL;
	int64_t price;
	int rc;

	if (producer == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "--producer CODE is needed");
	if ((rc = cli_unit(c, unit)) != POS_OK ||
	    (rc = cli_amount(c, "price", a->pos[2], &price)) != POS_OK)
		return rc;
	rc = catalog_product_add(c->st, a->pos[0], a->pos[1], price,
	    unit != NULL ? unit : "piece", producer, cmdline_opt(a, "barcode"),
	    true, &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "code", json_string(a->pos[0]));
		json_object_set_new(j, "price", money_json(price, dec));
		cli_print_json(j);
	} else
		printf("product %s added\n", a->pos[0]);
	return POS_OK;
}

int
cmd_product_set(struct cli *c, struct cmdline_args *a)
{
	struct product_change ch = { NULL, NULL, -1, -1 };
	const char *price = cmdline_opt(a, "price");
	const char *active = cmdline_opt(a, "active");
	char *cause = NULL;
	int rc;

	ch.name = cmdline_opt(a, "name");
	ch.barcode = cmdline_opt(a, "barcode");
	if (price != NULL &&
	    (rc = cli_amount(c, "--price", price, &ch.price)) != POS_OK)
		return rc;
	if (active != NULL) {
		if (strcmp(active, "yes") == 0)
			ch.active = 1;
		else if (strcmp(active, "no") == 0)
			ch.active = 0;
		else
			return cause_set(&c->cause, POS_INPUT,
			    "--active: must be yes or "
			    "no, got \"%s\"", active);
	}
	if (ch.name == NULL && ch.barcode == NULL && price == NULL &&
	    active == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "usage: pos product set CODE "
		    "[--price P] [--name N] [--barcode B] [--active yes|no]");
	if ((rc = catalog_product_set(c->st, a->pos[0], &ch, &cause)) != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "code", json_string(a->pos[0]));
		cli_print_json(j);
	} else
		printf("product %s changed\n", a->pos[0]);
	return POS_OK;
}

static json_t *
cli_product_json(struct cli *c, const struct product *p)
{
	int dec = c->cfg.currency.decimals;
	json_t *o = json_object();

	json_object_set_new(o, "code", json_string(p->code));
	json_object_set_new(o, "name", json_string(p->name));
	json_object_set_new(o, "price", money_json(p->price, dec));
	json_object_set_new(o, "unit", json_string(p->unit));
	json_object_set_new(o, "barcode", cli_jstr(p->barcode));
	json_object_set_new(o, "producer", json_string(p->producer_code));
	json_object_set_new(o, "producer_name", json_string(p->producer_name));
	json_object_set_new(o, "active", json_boolean(p->active));
	json_object_set_new(o, "central", json_boolean(p->central));
	json_object_set_new(o, "conflict", cli_jstr(p->conflict));
	return o;
}

int
cmd_product_list(struct cli *c, struct cmdline_args *a)
{
	struct product *p;
	char *cause = NULL, m[128], pad[512];
	size_t n, i;
	int rc;

	rc = catalog_product_search(c->st, cmdline_opt(a, "search"), 0, &p, &n,
	    &cause);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object(), *arr = json_array();

		for (i = 0; i < n; i++)
			json_array_append_new(arr, cli_product_json(c, &p[i]));
		json_object_set_new(j, "products", arr);
		cli_print_json(j);
	} else
		for (i = 0; i < n; i++)
			printf("%-12s %s %s/%s  %s  %s%s%s%s\n", p[i].code,
			    cli_pad(p[i].name, 30, false, pad, sizeof pad),
			    cli_money(c, p[i].price, m, sizeof m),
			    strcmp(p[i].unit, "kg") == 0 ? "kg" : "pc",
			    p[i].producer_code, cli_origin(p[i].central),
			    p[i].active ? "" : "  (inactive)",
			    p[i].conflict != NULL ? "  CONFLICT: " : "",
			    p[i].conflict != NULL ? p[i].conflict : "");
	catalog_products_free(p, n);
	return POS_OK;
}

int
cmd_import(struct cli *c, struct cmdline_args *a)
{
	char *cause = NULL;
	size_t n;
	int rc;

	if ((rc = csvio_import(c->st, a->pos[0], a->pos[1], &n, &cause)) !=
	    POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "imported", json_integer((json_int_t)n));
		cli_print_json(j);
	} else
		printf("%zu %s imported\n", n, a->pos[0]);
	return POS_OK;
}

int
cmd_export(struct cli *c, struct cmdline_args *a)
{
	const char *from = cmdline_opt(a, "from"), *to = cmdline_opt(a, "to");
	char *cause = NULL;
	int rc;

	if ((from != NULL && (rc = cli_date(c, "--from", from)) != POS_OK) ||
	    (to != NULL && (rc = cli_date(c, "--to", to)) != POS_OK))
		return rc;
	rc = csvio_export(c->st, a->pos[0], from, to, stdout, &cause);
	return cli_done(c, rc, cause);
}

int
cmd_user_add(struct cli *c, struct cmdline_args *a)
{
	const char *role = cmdline_opt(a, "role");
	char *pin, *cause = NULL;
	int rc;

	if (role == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "--role attendant|supervisor is "
		    "needed");
	if ((pin = cli_read_pin(true)) == NULL)
		return cause_set(&c->cause, POS_INPUT,
		    "the new user's PIN (4-12 digits) "
		    "is read from standard input");
	rc = user_add(c->st, a->pos[0], role, pin, &cause);
	free(pin);
	if (rc != POS_OK)
		return cli_done(c, rc, cause);
	if (c->json) {
		json_t *j = json_object();

		json_object_set_new(j, "name", json_string(a->pos[0]));
		json_object_set_new(j, "role", json_string(role));
		cli_print_json(j);
	} else
		printf("user %s added as %s\n", a->pos[0], role);
	return POS_OK;
}
