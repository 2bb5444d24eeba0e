/*
 * Opening what a request names, under the symlink policy.
 *
 * FollowSymLinks on (Apache's default): a plain open(2); links may point
 * anywhere, as in Apache. SymLinksIfOwnerMatch: a link is followed only when
 * its target has the link's owner (Apache's rule, checked for every link
 * below DocumentRoot; its target may lie anywhere). Neither: no component
 * below DocumentRoot may be a symlink. O_NOFOLLOW alone is not enough for
 * that: it only covers the last component, and not even that one when the
 * path ends in '/'. So the path is resolved relative to DocumentRoot with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), or, on kernels before 5.6,
 * one component at a time.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "static.h"

/* O_NONBLOCK: opening a FIFO would otherwise wait for a writer. O_NOCTTY:
 * a terminal must never become the process's controlling one. */
#define OPEN_FLAGS (O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)

static int openat2_missing; /* set once openat2 said ENOSYS */

enum link_policy { LINKS_FOLLOW, LINKS_IF_OWNER_MATCH, LINKS_REFUSE };

static enum link_policy link_policy(const mh_request *r)
{
    unsigned o = st_api->options(r);
    if (o & MH_OPT_FOLLOW_SYMLINKS) return LINKS_FOLLOW;
    return (o & MH_OPT_SYMLINKS_IF_OWNER_MATCH) ? LINKS_IF_OWNER_MATCH : LINKS_REFUSE;
}

/* A symlink `comp` in `dir`, which lstat gave `link`: under
 * SymLinksIfOwnerMatch its target, followed, when owners match; else -1
 * with errno ELOOP (Apache's AH00037). */
static int follow_if_owner_matches(int dir, const char *comp, const struct stat *link, int last)
{
    struct stat target;
    if (fstatat(dir, comp, &target, 0) != 0) return -1;
    if (target.st_uid != link->st_uid) {
        errno = ELOOP;
        return -1;
    }
    return openat(dir, comp, last ? OPEN_FLAGS : O_PATH | O_CLOEXEC);
}

/* Each component in turn with O_PATH | O_NOFOLLOW, which yields the link
 * itself when there is one, so fstat can refuse it (or, owners matching,
 * follow it). The fallback for kernels without openat2, and the way of
 * SymLinksIfOwnerMatch. */
static int open_walk(int dirfd, const char *rel, enum link_policy policy)
{
    int cur = dirfd;
    int err = 0;
    size_t len = strlen(rel);
    int want_dir = len > 0 && rel[len - 1] == '/';
    char comp[256];
    const char *p = rel;
    for (;;) {
        while (*p == '/') p++;
        size_t n = strcspn(p, "/");
        if (n >= sizeof comp) { err = ENAMETOOLONG; break; }
        memcpy(comp, n ? p : ".", n ? n : 1);
        comp[n ? n : 1] = '\0';
        p += n;
        while (*p == '/') p++;
        int last = *p == '\0';
        int fd = openat(cur, comp, last ? OPEN_FLAGS | O_NOFOLLOW : O_PATH | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0 && errno == ELOOP && last && policy == LINKS_IF_OWNER_MATCH)
            fd = openat(cur, comp, O_PATH | O_NOFOLLOW | O_CLOEXEC); /* the link itself, to judge it */
        if (fd < 0) { err = errno; break; }
        struct stat st;
        if (fstat(fd, &st) != 0) { err = errno; close(fd); break; }
        if (S_ISLNK(st.st_mode)) {
            close(fd);
            fd = policy == LINKS_IF_OWNER_MATCH ? follow_if_owner_matches(cur, comp, &st, last) : -1;
            if (fd < 0) { err = policy == LINKS_IF_OWNER_MATCH ? errno : ELOOP; break; }
            if (fstat(fd, &st) != 0) { err = errno; close(fd); break; }
        }
        if (cur != dirfd) close(cur);
        cur = fd;
        if (!S_ISDIR(st.st_mode) && (!last || want_dir)) { err = ENOTDIR; break; }
        if (last) return fd;
    }
    if (cur != dirfd) close(cur);
    errno = err;
    return -1;
}

/* `rel` inside `dirfd`: refusing every symlink and any way out of dirfd, or
 * following links whose owners match. */
static int open_beneath(int dirfd, const char *rel, enum link_policy policy)
{
    if (*rel == '\0') rel = ".";
    if (policy == LINKS_REFUSE && !__atomic_load_n(&openat2_missing, __ATOMIC_RELAXED)) {
        struct open_how how;
        memset(&how, 0, sizeof how);
        how.flags = OPEN_FLAGS;
        how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;
        long fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof how);
        if (fd >= 0 || errno != ENOSYS) return (int)fd;
        __atomic_store_n(&openat2_missing, 1, __ATOMIC_RELAXED);
    }
    return open_walk(dirfd, rel, policy);
}

/* Apache's answers (and log lines) for a file that cannot be opened. */
static int open_failed(mh_request *r, int err, const char *dir, const char *name)
{
    const mh_module *m = &static_module;
    switch (err) {
    case ENOENT:
    case ENOTDIR:
        st_api->log_error(m, MH_LOG_INFO, 0, NULL, r, "AH00128: File does not exist: %s%s", dir, name);
        return 404;
    case ELOOP:
    case EXDEV: /* RESOLVE_BENEATH: the path tried to leave DocumentRoot */
        st_api->log_error(m, MH_LOG_ERR, 0, NULL, r,
                          "AH00037: Symbolic link not allowed or link target not accessible: %s%s", dir, name);
        return 403;
    case EACCES:
    case EPERM:
        st_api->log_error(m, MH_LOG_ERR, err, NULL, r, "AH00132: file permissions deny server access: %s%s",
                          dir, name);
        return 403;
    case ENAMETOOLONG:
    case ENXIO: /* a UNIX socket */
    case ENODEV:
        st_api->log_error(m, MH_LOG_ERR, err, NULL, r, "cannot serve %s%s", dir, name);
        return 403;
    default:
        st_api->log_error(m, MH_LOG_ERR, err, NULL, r, "cannot open %s%s", dir, name);
        return 500;
    }
}

int st_open_path(mh_request *r, const char *filename, int *fd)
{
    enum link_policy policy = link_policy(r);
    if (policy == LINKS_FOLLOW) {
        *fd = open(filename, OPEN_FLAGS);
    } else {
        /* DocumentRoot (or an Alias's directory or file) itself may be
         * reached through links: it is the boundary the administrator
         * chose. Below it, none. */
        const char *root = st_api->context_document_root(r);
        size_t n = strlen(root);
        const char *rel = filename + (n == 1 ? 0 : n);
        while (*rel == '/') rel++;
        int rootfd = *rel ? open(root, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
        if (*rel == '\0') {
            *fd = open(filename, OPEN_FLAGS);
        } else if (rootfd < 0) {
            *fd = -1;
        } else {
            *fd = open_beneath(rootfd, rel, policy);
            int saved = errno;
            close(rootfd);
            errno = saved;
        }
    }
    return *fd >= 0 ? MH_OK : open_failed(r, errno, filename, "");
}

/* Apache also takes URLs as DirectoryIndex ("/cgi-bin/index.pl"); here
 * only names inside the directory are looked up, never a way out of it. */
static int leaves_directory(const char *name)
{
    if (name[0] == '/') return 1;
    for (const char *p = name; *p; p += strcspn(p, "/"), p += *p == '/')
        if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || p[2] == '\0')) return 1;
    return 0;
}

int st_open_at(mh_request *r, int dirfd, const char *dirname, const char *name, int *fd)
{
    *fd = -1;
    if (leaves_directory(name)) return MH_DECLINED;
    enum link_policy policy = link_policy(r);
    *fd = policy == LINKS_FOLLOW ? openat(dirfd, name, OPEN_FLAGS) : open_beneath(dirfd, name, policy);
    if (*fd >= 0) return MH_OK;
    if (errno == ENOENT || errno == ENOTDIR) return MH_DECLINED;
    const char *sep = dirname[0] && dirname[strlen(dirname) - 1] == '/' ? "" : "/";
    return open_failed(r, errno, st_api->psprintf(st_api->request_pool(r), "%s%s", dirname, sep), name);
}
