/*
 * Users of the window: attendants and supervisors, each with a PIN kept
 * only as salted PBKDF2-SHA256.
 */
#ifndef POS_USER_H
#define POS_USER_H

#include <stdbool.h>

#include "store.h"

#define USER_PIN_ITERATIONS 100000

enum user_role { USER_ATTENDANT, USER_SUPERVISOR };

/*
 * Add a user. A PIN another user already has is refused: a supervisor is
 * known by the PIN alone (user_identify), so no two users share one.
 */
int	 user_add(struct store *, const char *name, const char *role,
	    const char *pin, char **cause);

/* POS_DENIED for an unknown user; *role gets the user's role. */
int	 user_get(struct store *, const char *name, enum user_role *role,
	    char **cause);

/* POS_DENIED unless name is a known supervisor (the role, not the PIN). */
int	 user_need_supervisor(struct store *, const char *name, char **cause);

/*
 * Check name's PIN and that the user has at least the role asked for.
 * POS_DENIED for an unknown user, a wrong PIN or too low a role.
 */
int	 user_authenticate(struct store *, const char *name, const char *pin,
	    enum user_role need, char **cause);

/*
 * The user whose PIN this is, with at least the role asked for; *name gets
 * it (caller frees). POS_DENIED when no user has the PIN or the one who has
 * it lacks the role; POS_INPUT when several users have it (a store older
 * than the rule in user_add): then the name is needed too.
 */
int	 user_identify(struct store *, const char *pin, enum user_role need,
	    char **name, char **cause);

#endif
