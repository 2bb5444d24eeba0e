/*
 * Options Indexes: an HTML listing of a directory without an index file,
 * in the spirit of mod_autoindex's FancyIndexing: a table of name, date and
 * size, directories first, sortable with Apache's ?C=N|M|S;O=A|D links.
 *
 * With mod_autoindex loaded, its directives shape the page instead
 * (static_autoindex.c), as Apache's would.
 *
 * Left out of the listing, though still served when asked for by name:
 *  - dotfiles (without mod_autoindex; with it, what IndexIgnore names):
 *    they are usually private (.git, .env, .htpasswd), and Apache's
 *    shipped configuration hides them too (IndexIgnore .??*);
 *  - what a link to it would not serve: symlinks when FollowSymLinks is
 *    off, broken links, FIFOs, devices and sockets (Apache likewise drops
 *    entries whose lookup fails).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <modhttpd/autoindex.h>

#include "static.h"

typedef struct order {
    char column; /* 'N'ame, 'M'odified, 'S'ize */
    char direction; /* 'A'scending, 'D'escending */
} order;

void st_put(st_buf *b, const char *s, size_t n)
{
    if (b->failed) return;
    if (b->len + n > b->cap) {
        size_t cap = b->cap ? b->cap : 8192;
        while (cap < b->len + n) cap *= 2;
        char *p = realloc(b->p, cap);
        if (p == NULL) { b->failed = 1; return; }
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

void st_puts(st_buf *b, const char *s) { st_put(b, s, strlen(s)); }

void st_printf(st_buf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) { b->failed = 1; return; }
    if ((size_t)n < sizeof small) { st_put(b, small, (size_t)n); return; }
    char *big = malloc((size_t)n + 1);
    if (big == NULL) { b->failed = 1; return; }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    st_put(b, big, (size_t)n);
    free(big);
}

/* Apache's query: "C=M;O=D" (also with '&'). Default: by name, ascending. */
static order read_order(const char *q)
{
    order o = {'N', 'A'};
    for (; q && *q; q++) {
        if (q[0] == 'C' && q[1] == '=' && q[2] && strchr("NMS", q[2])) o.column = q[2];
        if (q[0] == 'O' && q[1] == '=' && q[2] && strchr("AD", q[2])) o.direction = q[2];
    }
    return o;
}

static int compare(const void *a, const void *b, void *arg)
{
    const st_entry *x = a, *y = b;
    const order *o = arg;
    if (x->is_dir != y->is_dir) return y->is_dir - x->is_dir; /* directories first, always */
    int c = 0;
    if (o->column == 'M') c = (x->mtime > y->mtime) - (x->mtime < y->mtime);
    else if (o->column == 'S') c = (x->size > y->size) - (x->size < y->size);
    if (c == 0) c = strcmp(x->name, y->name);
    return o->direction == 'D' ? -c : c;
}

/* Like apr_strfsize: "512", "1.2K", "34M". */
void st_format_size(char out[24], int64_t n)
{
    static const char units[] = "KMGTPE";
    if (n < 1024) {
        snprintf(out, 24, "%lld", (long long)n);
        return;
    }
    double v = (double)n;
    int u = -1;
    do {
        v /= 1024;
        u++;
    } while (v >= 1024 && units[u + 1]);
    snprintf(out, 24, v < 9.95 ? "%.1f%c" : "%.0f%c", v, units[u]);
}

/* Left out of the listing: "." and "..", then IndexIgnore's patterns with
 * mod_autoindex, else every dotfile (see the top). */
static int left_out(mh_request *r, const mh_autoindex_provider *ai, const char *name)
{
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) return 1;
    return ai ? ai->ignored(r, name) : name[0] == '.';
}

/* Reads the entries worth listing into a malloc'ed array. */
static st_entry *read_entries(mh_request *r, DIR *d, const mh_autoindex_provider *ai, size_t *count, int *failed)
{
    mh_pool *p = st_api->request_pool(r);
    unsigned options = st_api->options(r);
    int follow = (options & MH_OPT_FOLLOW_SYMLINKS) != 0;
    int owner_match = !follow && (options & MH_OPT_SYMLINKS_IF_OWNER_MATCH) != 0;
    st_entry *list = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        if (left_out(r, ai, de->d_name)) continue;
        struct stat st;
        if (fstatat(dirfd(d), de->d_name, &st, follow ? 0 : AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (owner_match && S_ISLNK(st.st_mode)) {
            /* Listed when it would be served: its target has its owner. */
            struct stat target;
            if (fstatat(dirfd(d), de->d_name, &target, 0) != 0 || target.st_uid != st.st_uid) continue;
            st = target;
        }
        if (!S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode)) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            st_entry *grown = realloc(list, cap * sizeof *list);
            if (grown == NULL) {
                *failed = 1;
                break;
            }
            list = grown;
        }
        list[n].name = st_api->pstrdup(p, de->d_name);
        list[n].size = st.st_size;
        list[n].mtime = st.st_mtim.tv_sec;
        list[n].is_dir = S_ISDIR(st.st_mode);
        list[n].description = NULL;
        n++;
    }
    *count = n;
    return list;
}

/* A column heading that sorts by it; again reverses the order. */
static void heading(st_buf *b, const order *o, char column, const char *label, const char *cls)
{
    char dir = o->column == column && o->direction == 'A' ? 'D' : 'A';
    st_printf(b, "<th%s><a href=\"?C=%c;O=%c\">%s</a></th>", cls, column, dir, label);
}

static void render(mh_request *r, st_buf *b, const st_entry *list, size_t n, const order *o)
{
    mh_pool *p = st_api->request_pool(r);
    const char *path = st_api->request_path(r);
    const char *title = st_api->escape_html(p, path);
    st_printf(b,
            "<!DOCTYPE html>\n<html>\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>Index of %s</title>\n<style>\n"
            "body{font-family:system-ui,sans-serif;margin:2em;color:#222}\n"
            "h1{font-size:1.4em;font-weight:normal}\n"
            "table{border-collapse:collapse}\n"
            "th,td{padding:.25em 1.2em .25em 0;text-align:left;white-space:nowrap}\n"
            "th{border-bottom:1px solid #ccc}\n"
            ".s{text-align:right}\n"
            "td.m,td.s{font-family:ui-monospace,monospace;font-size:.9em}\n"
            "tr:hover td{background:#f3f6fa}\n"
            "a{text-decoration:none}\na:hover{text-decoration:underline}\n"
            "</style>\n</head>\n<body>\n<h1>Index of %s</h1>\n<table>\n<tr>",
            title, title);
    heading(b, o, 'N', "Name", "");
    heading(b, o, 'M', "Last modified (UTC)", "");
    heading(b, o, 'S', "Size", " class=\"s\"");
    st_puts(b, "</tr>\n");
    if (strcmp(path, "/") != 0)
        st_puts(b, "<tr><td><a href=\"../\">Parent Directory</a></td><td class=\"m\"></td><td class=\"s\">-</td></tr>\n");
    for (size_t i = 0; i < n; i++) {
        const st_entry *e = &list[i];
        /* A name with ':' before any '/' would read as a URL scheme. */
        const char *prefix = strchr(e->name, ':') ? "./" : "";
        const char *href = st_api->escape_html(p, st_api->escape_path(p, e->name));
        const char *shown = st_api->escape_html(p, e->name);
        const char *slash = e->is_dir ? "/" : "";
        char date[32] = "";
        struct tm tm;
        time_t t = (time_t)e->mtime;
        if (gmtime_r(&t, &tm)) strftime(date, sizeof date, "%Y-%m-%d %H:%M", &tm);
        st_printf(b, "<tr><td><a href=\"%s%s%s\">%s%s</a></td><td class=\"m\">%s</td>", prefix, href, slash, shown,
                slash, date);
        if (e->is_dir) {
            st_puts(b, "<td class=\"s\">-</td></tr>\n");
        } else {
            char size[24];
            st_format_size(size, e->size);
            st_printf(b, "<td class=\"s\" title=\"%lld bytes\">%s</td></tr>\n", (long long)e->size, size);
        }
    }
    st_puts(b, "</table>\n");
    st_puts(b, st_signature(r, "<hr>\n"));
    st_puts(b, "</body>\n</html>\n");
}

int st_send_listing(mh_request *r, int fd)
{
    int rv = st_answer_method(r);
    if (rv != MH_DECLINED) {
        close(fd);
        return rv;
    }
    DIR *d = fdopendir(fd);
    if (d == NULL) {
        st_api->log_error(&static_module, MH_LOG_ERR, errno, NULL, r, "cannot list %s", st_api->filename(r));
        close(fd);
        return 500;
    }
    const mh_autoindex_provider *ai = st_api->lookup_provider(
        MH_AUTOINDEX_PROVIDER_GROUP, MH_AUTOINDEX_PROVIDER_NAME, MH_AUTOINDEX_PROVIDER_VERSION);
    size_t n = 0;
    int failed = 0;
    st_entry *list = read_entries(r, d, ai, &n, &failed);
    st_buf b = {NULL, 0, 0, failed};
    const char *type = "text/html;charset=UTF-8";
    if (ai) {
        st_autoindex_page(r, ai, dirfd(d), list, n, &b, &type);
    } else {
        order o = read_order(st_api->request_query(r));
        if (n > 1) qsort_r(list, n, sizeof *list, compare, &o);
        render(r, &b, list, n, &o);
    }
    closedir(d);
    free(list);
    if (b.failed) {
        free(b.p);
        st_api->log_error(&static_module, MH_LOG_ERR, ENOMEM, NULL, r, "listing %s", st_api->filename(r));
        return 500;
    }
    st_api->set_content_type(r, type);
    st_api->set_content_length(r, (int64_t)b.len);
    st_api->write(r, b.p, b.len);
    free(b.p);
    return MH_OK;
}
