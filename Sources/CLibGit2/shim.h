#ifndef PROVSYNC_CLIBGIT2_SHIM_H
#define PROVSYNC_CLIBGIT2_SHIM_H

#include <git2.h>

/// `git_libgit2_opts` is variadic and cannot be called from Swift; these wrappers fix its arguments.

/// Turns off libgit2's check that the repository belongs to the current user. provsync only reads,
/// and CI checkouts are often owned by another user.
static inline int provsync_git_disable_owner_validation(void) {
    return git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0);
}

#endif
