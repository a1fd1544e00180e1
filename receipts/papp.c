/*
 * pos-printer-app: a PAPPL Printer Application for ESC/POS thermal receipt
 * printers. It serves each printer as an IPP Everywhere printer (so CUPS
 * makes an ordinary driverless queue for it); pappjob.c turns the jobs into
 * the POS's own raster ESC/POS. Here: the drivers, the system, main().
 */
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <pappl/pappl.h>

#include "papp.h"
#include "render.h"

#define PAPP_VERSION	"0.1.0"

/* One row per driver. */
static const struct papp_model papp_models[] = {
	{ .name = "escpos_58mm",
	  .description = "ESC/POS receipt printer, 58 mm roll (384 dots)",
	  .roll_mm = 58, .dots = RENDER_DOTS_58MM,
	  .media = "om_roll-58mm_58x2000mm",
	  .roll_max = "roll_max_58x10000mm", .roll_min = "roll_min_58x25mm" },
	{ .name = "escpos_80mm",
	  .description = "ESC/POS receipt printer, 80 mm roll (576 dots)",
	  .roll_mm = 80, .dots = RENDER_DOTS_80MM,
	  .media = "om_roll-80mm_80x2000mm",
	  .roll_max = "roll_max_80x10000mm", .roll_min = "roll_min_80x25mm" },
};

static pappl_pr_driver_t papp_drivers[] = {
	{ .name = "escpos_58mm",
	  .description = "ESC/POS receipt printer, 58 mm roll (384 dots)" },
	{ .name = "escpos_80mm",
	  .description = "ESC/POS receipt printer, 80 mm roll (576 dots)" },
};

/* Vendor options (job attribute names, with -default and -supported). */
static const char *const papp_cut_values[] = { "partial", "full", "none" };
static const char *const papp_drawer_values[] = { "none", "open" };

const struct papp_model *
papp_model(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof papp_models / sizeof papp_models[0]; i++)
		if (name != NULL && strcmp(papp_models[i].name, name) == 0)
			return &papp_models[i];
	return NULL;
}

static ipp_t *
papp_vendor_attrs(pappl_pr_driver_data_t *d)
{
	ipp_t	*attrs = ippNew();

	/* IPP Everywhere asks for these; PAPPL 1.3 does not add them. */
	ippAddString(attrs, IPP_TAG_PRINTER, IPP_CONST_TAG(IPP_TAG_KEYWORD),
	    "print-rendering-intent-default", NULL, "auto");
	ippAddString(attrs, IPP_TAG_PRINTER, IPP_CONST_TAG(IPP_TAG_KEYWORD),
	    "print-rendering-intent-supported", NULL, "auto");
	ippAddBoolean(attrs, IPP_TAG_PRINTER, "preferred-attributes-supported",
	    0);
	ippAddString(attrs, IPP_TAG_PRINTER, IPP_CONST_TAG(IPP_TAG_KEYWORD),
	    "pwg-raster-document-sheet-back", NULL, "normal");

	d->vendor[d->num_vendor++] = "cut-type";
	ippAddStrings(attrs, IPP_TAG_PRINTER, IPP_CONST_TAG(IPP_TAG_KEYWORD),
	    "cut-type-supported",
	    (int)(sizeof papp_cut_values / sizeof papp_cut_values[0]), NULL,
	    papp_cut_values);
	ippAddString(attrs, IPP_TAG_PRINTER, IPP_CONST_TAG(IPP_TAG_KEYWORD),
	    "cut-type-default", NULL, "partial");
	d->vendor[d->num_vendor++] = "cash-drawer";
	ippAddStrings(attrs, IPP_TAG_PRINTER, IPP_CONST_TAG(IPP_TAG_KEYWORD),
	    "cash-drawer-supported",
	    (int)(sizeof papp_drawer_values / sizeof papp_drawer_values[0]),
	    NULL, papp_drawer_values);
	ippAddString(attrs, IPP_TAG_PRINTER, IPP_CONST_TAG(IPP_TAG_KEYWORD),
	    "cash-drawer-default", NULL, "none");
	return attrs;
}

static bool
papp_driver(pappl_system_t *system, const char *driver_name,
    const char *device_uri, const char *device_id,
    pappl_pr_driver_data_t *d, ipp_t **attrs, void *data)
{
	const struct papp_model	*m = papp_model(driver_name);
	pwg_media_t		*pwg;
	int			 margin;

	(void)system;
	(void)device_uri;
	(void)device_id;
	(void)data;
	if (m == NULL)
		return false;
	snprintf(d->make_and_model, sizeof d->make_and_model, "%s",
	    m->description);
	d->format = PAPP_FORMAT;
	d->rstartjob_cb = pappjob_rstartjob;
	d->rstartpage_cb = pappjob_rstartpage;
	d->rwriteline_cb = pappjob_rwriteline;
	d->rendpage_cb = pappjob_rendpage;
	d->rendjob_cb = pappjob_rendjob;
	d->kind = PAPPL_KIND_RECEIPT;
	d->ppm = 60;
	d->color_supported = PAPPL_COLOR_MODE_AUTO |
	    PAPPL_COLOR_MODE_MONOCHROME;
	d->color_default = PAPPL_COLOR_MODE_MONOCHROME;
	d->raster_types = PAPPL_PWG_RASTER_TYPE_SGRAY_8;
	d->num_resolution = 1;
	d->x_resolution[0] = d->y_resolution[0] = PAPP_DPI;
	d->x_default = d->y_default = PAPP_DPI;
	d->orient_default = IPP_ORIENT_PORTRAIT;
	d->quality_default = IPP_QUALITY_NORMAL;
	d->scaling_default = PAPPL_SCALING_NONE;
	d->sides_supported = PAPPL_SIDES_ONE_SIDED;
	d->sides_default = PAPPL_SIDES_ONE_SIDED;
	d->finishings = PAPPL_FINISHINGS_NONE;
	/* Margins leave exactly the printable dots in the middle. */
	margin = (int)lround((m->roll_mm - m->dots * 25.4 / PAPP_DPI) * 50.0);
	d->left_right = margin;
	d->bottom_top = 0;
	d->num_media = 3;
	d->media[0] = m->roll_max;
	d->media[1] = m->roll_min;
	d->media[2] = m->media;
	d->num_source = 1;
	d->source[0] = "main-roll";
	d->tracking_supported = PAPPL_MEDIA_TRACKING_CONTINUOUS;
	pwg = pwgMediaForPWG(m->media);
	snprintf(d->media_default.size_name, sizeof d->media_default.size_name,
	    "%s", m->media);
	d->media_default.size_width = pwg != NULL ? pwg->width :
	    m->roll_mm * 100;
	d->media_default.size_length = pwg != NULL ? pwg->length : 200000;
	d->media_default.left_margin = d->media_default.right_margin = margin;
	snprintf(d->media_default.source, sizeof d->media_default.source,
	    "main-roll");
	snprintf(d->media_default.type, sizeof d->media_default.type,
	    "continuous");
	d->media_default.tracking = PAPPL_MEDIA_TRACKING_CONTINUOUS;
	d->media_ready[0] = d->media_default;
	d->num_type = 1;
	d->type[0] = "continuous";
	d->darkness_supported = 13;		/* GS ( K fn 49: -6..+6 */
	d->darkness_configured = 50;
	d->darkness_default = 0;
	*attrs = papp_vendor_attrs(d);
	return true;
}

/* USB printers that say they speak ESC/POS get the 80 mm driver. */
static const char *
papp_autoadd(const char *device_info, const char *device_uri,
    const char *device_id, void *data)
{
	(void)device_info;
	(void)device_uri;
	(void)data;
	if (device_id != NULL && (strstr(device_id, "ESC/POS") != NULL ||
	    strstr(device_id, "ESCPOS") != NULL))
		return "escpos_80mm";
	return NULL;
}

/* Where the printers, their options and jobs' numbers are kept. */
static char	papp_state[1024];

static pappl_system_t *
papp_system(int num_options, cups_option_t *options, void *data)
{
	pappl_system_t		*system;
	pappl_loglevel_t	 level = PAPPL_LOGLEVEL_INFO;
	const char		*v, *listen;
	char			*end;
	long			 port = 0;
	static pappl_version_t	 versions[1] = {
		{ "pos-printer-app", "", PAPP_VERSION, { 0, 1, 0, 0 } },
	};

	(void)data;
	if ((v = cupsGetOption("log-level", num_options, options)) != NULL) {
		if (strcmp(v, "debug") == 0)
			level = PAPPL_LOGLEVEL_DEBUG;
		else if (strcmp(v, "warn") == 0)
			level = PAPPL_LOGLEVEL_WARN;
		else if (strcmp(v, "error") == 0)
			level = PAPPL_LOGLEVEL_ERROR;
	}
	if ((v = cupsGetOption("server-port", num_options, options)) != NULL) {
		errno = 0;
		port = strtol(v, &end, 10);
		if (errno != 0 || *end != '\0' || port < 0 || port > 65535) {
			fprintf(stderr, "pos-printer-app: bad server-port "
			    "'%s' (0..65535; 0 picks a free one)\n", v);
			return NULL;
		}
	}
	if ((v = cupsGetOption("state-file", num_options, options)) != NULL)
		snprintf(papp_state, sizeof papp_state, "%s", v);
	else if ((v = getenv("STATE_DIRECTORY")) != NULL)
		snprintf(papp_state, sizeof papp_state,
		    "%s/pos-printer-app.state", v);
	else if ((v = getenv("HOME")) != NULL)
		snprintf(papp_state, sizeof papp_state,
		    "%s/.pos-printer-app.state", v);
	else
		snprintf(papp_state, sizeof papp_state,
		    "/var/lib/pos-printer-app/pos-printer-app.state");
	system = papplSystemCreate(PAPPL_SOPTIONS_MULTI_QUEUE |
	    PAPPL_SOPTIONS_WEB_INTERFACE | PAPPL_SOPTIONS_WEB_LOG |
	    PAPPL_SOPTIONS_NO_TLS, "POS Printer App", (int)port, "_print",
	    cupsGetOption("spool-directory", num_options, options),
	    (v = cupsGetOption("log-file", num_options, options)) != NULL ?
	    v : "-", level, NULL, false);
	if (system == NULL)
		return NULL;
	/* Loopback unless told otherwise: CUPS on this machine is the client. */
	listen = cupsGetOption("listen-hostname", num_options, options);
	if (!papplSystemAddListeners(system, listen != NULL ? listen :
	    "localhost")) {
		fprintf(stderr, "pos-printer-app: cannot listen on %s\n",
		    listen != NULL ? listen : "localhost");
		papplSystemDelete(system);
		return NULL;
	}
	papplSystemSetHostName(system, "localhost");
	papplSystemAddMIMEFilter(system, "application/pdf", PAPP_FORMAT,
	    pappjob_filter_pdf, NULL);
	papplSystemAddMIMEFilter(system, "image/png", PAPP_FORMAT,
	    pappjob_filter_png, NULL);
	papplSystemSetPrinterDrivers(system,
	    (int)(sizeof papp_drivers / sizeof papp_drivers[0]), papp_drivers,
	    papp_autoadd, NULL, papp_driver, NULL);
	papplSystemSetSaveCallback(system,
	    (pappl_save_cb_t)papplSystemSaveState, papp_state);
	papplSystemSetVersions(system, 1, versions);
	if (!papplSystemLoadState(system, papp_state))
		papplSystemSetDNSSDName(system, "POS Printer App");
	/* Tests and scripts read the port from this line. */
	fprintf(stderr, "pos-printer-app: listening on port %d\n",
	    papplSystemGetHostPort(system));
	return system;
}

int
main(int argc, char *argv[])
{
	/* A printer that hangs up must fail a write, not end the program. */
	signal(SIGPIPE, SIG_IGN);
	return papplMainloop(argc, argv, PAPP_VERSION, NULL,
	    (int)(sizeof papp_drivers / sizeof papp_drivers[0]), papp_drivers,
	    papp_autoadd, papp_driver, NULL, NULL, papp_system, NULL, NULL);
}
