/*
 * The directory listing as mod_autoindex's directives shape it
 * (modhttpd/autoindex.h), in Apache 2.4's markup: the preamble or
 * HeaderName's file, then a plain list (<ul>) or, with FancyIndexing, an
 * HTMLTable table or a <pre> block with icons, dates, sizes and
 * descriptions, then ReadmeName's file or the server signature.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <modhttpd/autoindex.h>
#include <modhttpd/mime.h>

#include "static.h"

#define MAX_INCLUDED (1u << 20) /* HeaderName/ReadmeName files bigger than this are left out */

typedef struct listing {
    mh_request *r;
    mh_pool *p;
    const mh_autoindex_provider *ai;
    const mh_autoindex_settings *s;
    const mh_mime_provider *mime;
    char column, direction;   /* the order in force */
} listing;

static int has(const listing *l, unsigned bit) { return (l->s->options & bit) != 0; }
static int fancy(const listing *l) { return has(l, MH_AI_FANCY); }

/* ---- order ------------------------------------------------------------------ */

static int compare_names(const listing *l, const char *a, const char *b)
{
    int c = 0;
    if (has(l, MH_AI_VERSION_SORT)) c = strverscmp(a, b);
    else if (has(l, MH_AI_IGNORE_CASE)) c = strcasecmp(a, b);
    return c ? c : strcmp(a, b);
}

static int compare(const void *a, const void *b, void *arg)
{
    const st_entry *x = a, *y = b;
    const listing *l = arg;
    /* FoldersFirst holds whatever the direction (Apache: with FancyIndexing). */
    if (fancy(l) && has(l, MH_AI_FOLDERS_FIRST) && x->is_dir != y->is_dir) return y->is_dir - x->is_dir;
    int c = 0;
    if (l->column == 'M') c = (x->mtime > y->mtime) - (x->mtime < y->mtime);
    else if (l->column == 'S') c = (x->size > y->size) - (x->size < y->size);
    else if (l->column == 'D') c = strcmp(x->description ? x->description : "", y->description ? y->description : "");
    if (c == 0) c = compare_names(l, x->name, y->name);
    return l->direction == 'D' ? -c : c;
}

/* Apache's query: "C=M;O=D" (also with '&'); else IndexOrderDefault. */
static void read_order(listing *l)
{
    l->column = l->s->order_column;
    l->direction = l->s->order_direction;
    for (const char *q = st_api->request_query(l->r); q && *q; q++) {
        if (q[0] == 'C' && q[1] == '=' && q[2] && strchr("NMSD", q[2])) l->column = q[2];
        if (q[0] == 'O' && q[1] == '=' && q[2] && strchr("AD", q[2])) l->direction = q[2];
    }
}

/* ---- HeaderName / ReadmeName ------------------------------------------------- */

typedef struct included {
    const char *text; /* NULL when there is none to include */
    size_t len;
    int html;         /* text/html: included as is; other text types: in <pre> */
} included;

/* `name` in the listed directory, or, starting with '/', a URL path under
 * the directory that serves the request (DocumentRoot or an Alias's). */
static included read_included(listing *l, int dirfd, const char *name)
{
    included inc = {NULL, 0, 0};
    if (name == NULL || *name == '\0') return inc;
    const char *type = st_api->mime_type(l->r, name);
    if (type == NULL || strncasecmp(type, "text/", 5) != 0) return inc;
    inc.html = strncasecmp(type, "text/html", 9) == 0;
    int fd;
    if (name[0] == '/') {
        if (strstr(name, "/..")) return inc;
        const char *path = st_api->psprintf(l->p, "%s%s", st_api->context_document_root(l->r), name);
        fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    } else {
        if (strchr(name, '/')) return inc;
        /* A link is followed only where the listing would follow it. */
        int nofollow = st_api->options(l->r) & MH_OPT_FOLLOW_SYMLINKS ? 0 : O_NOFOLLOW;
        fd = openat(dirfd, name, O_RDONLY | O_NONBLOCK | O_CLOEXEC | nofollow);
    }
    if (fd < 0) return inc;
    struct stat st;
    if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size <= MAX_INCLUDED) {
        char *text = st_api->palloc(l->p, (size_t)st.st_size + 1);
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
            if (n <= 0) break;
            got += (size_t)n;
        }
        text[got] = '\0';
        inc.text = text;
        inc.len = got;
    }
    close(fd);
    return inc;
}

static void put_plain(listing *l, st_buf *b, const included *inc)
{
    st_puts(b, "<pre>\n");
    st_puts(b, st_api->escape_html(l->p, inc->text));
    st_puts(b, "</pre>\n");
}

static void preamble(listing *l, st_buf *b, const char *title)
{
    (void)l;
    st_printf(b,
              "<!DOCTYPE HTML PUBLIC \"-//W3C//DTD HTML 3.2 Final//EN\">\n<html>\n <head>\n  <title>Index of %s</title>\n"
              " </head>\n <body>\n",
              title);
}

/* ---- pieces of a row ---------------------------------------------------------- */

/* apr_strfsize: four columns, "  5 ", "1.2K", " 34M". */
static void size_text(char out[24], int64_t size)
{
    static const char units[] = "KMGTPE";
    if (size < 0) {
        snprintf(out, 24, "  - ");
        return;
    }
    if (size < 973) {
        snprintf(out, 24, "%3d ", (int)size);
        return;
    }
    const char *o = units;
    for (;;) {
        int64_t remain = size & 1023;
        size >>= 10;
        if (size >= 973) {
            ++o;
            continue;
        }
        if (size < 9 || (size == 9 && remain < 973)) {
            if ((remain = ((remain * 5) + 256) / 512) >= 10) ++size, remain = 0;
            snprintf(out, 24, "%d.%d%c", (int)size, (int)remain, *o);
            return;
        }
        if (remain >= 512) ++size;
        snprintf(out, 24, "%3d%c", (int)size, *o);
        return;
    }
}

static void date_text(char out[32], int64_t mtime)
{
    struct tm tm;
    time_t t = (time_t)mtime;
    out[0] = '\0';
    if (localtime_r(&t, &tm)) strftime(out, 32, "%Y-%m-%d %H:%M", &tm);
}

/* <img src="..." alt="[ALT]">, or NULL when there is no icon. */
static const char *icon_tag(listing *l, const char *name, int is_dir, const char *default_alt)
{
    const char *type = NULL, *encoding = NULL;
    if (name[0] != '^' && !is_dir) {
        if (l->mime) l->mime->describe(l->r, name, &type, &encoding);
        else type = st_api->mime_type(l->r, name);
    }
    const char *alt;
    const char *src = l->ai->icon(l->r, name, is_dir, type, encoding, &alt);
    if (src == NULL) return NULL;
    if (alt == NULL) alt = default_alt;
    const char *size = "";
    if (l->s->icon_width && l->s->icon_height)
        size = st_api->psprintf(l->p, " width=\"%d\" height=\"%d\"", l->s->icon_width, l->s->icon_height);
    return st_api->psprintf(l->p, "<img src=\"%s\" alt=\"[%s]\"%s>", st_api->escape_html(l->p, src),
                            st_api->escape_html(l->p, alt), size);
}

/* A column heading: a link that sorts by it (again: the other way). */
static void heading(listing *l, st_buf *b, char column, const char *label)
{
    if (has(l, MH_AI_SUPPRESS_COLUMN_SORTING)) {
        st_puts(b, label);
        return;
    }
    char dir = l->column == column && l->direction == 'A' ? 'D' : 'A';
    st_printf(b, "<a href=\"?C=%c;O=%c\">%s</a>", column, dir, label);
}

static const char *parent_href(listing *l)
{
    char *path = st_api->pstrdup(l->p, st_api->request_path(l->r));
    size_t n = strlen(path);
    while (n > 1 && path[n - 1] == '/') path[--n] = '\0';
    char *slash = strrchr(path, '/');
    if (slash) slash[1] = '\0';
    return st_api->escape_html(l->p, st_api->escape_path(l->p, path));
}

static const char *href_of(listing *l, const st_entry *e)
{
    /* A name with ':' before any '/' would read as a URL scheme. */
    return st_api->psprintf(l->p, "%s%s%s", strchr(e->name, ':') ? "./" : "",
                            st_api->escape_html(l->p, st_api->escape_path(l->p, e->name)), e->is_dir ? "/" : "");
}

/* ---- the three layouts --------------------------------------------------------- */

static void plain_list(listing *l, st_buf *b, const st_entry *list, size_t n, int parent)
{
    st_puts(b, "<ul>");
    if (parent) st_printf(b, "<li><a href=\"%s\"> Parent Directory</a></li>\n", parent_href(l));
    for (size_t i = 0; i < n; i++) {
        const st_entry *e = &list[i];
        st_printf(b, "<li><a href=\"%s\"> %s%s</a></li>\n", href_of(l, e), st_api->escape_html(l->p, e->name),
                  e->is_dir ? "/" : "");
    }
    st_puts(b, "</ul>\n");
}

static void table_list(listing *l, st_buf *b, const st_entry *list, size_t n, int parent)
{
    int icons = !has(l, MH_AI_SUPPRESS_ICON), dates = !has(l, MH_AI_SUPPRESS_LAST_MODIFIED);
    int sizes = !has(l, MH_AI_SUPPRESS_SIZE), descs = !has(l, MH_AI_SUPPRESS_DESCRIPTION);
    int cols = 1 + icons + dates + sizes + descs;
    st_puts(b, "  <table>\n   <tr>");
    if (icons) {
        const char *blank = icon_tag(l, "^^BLANKICON^^", 0, "ICO");
        st_printf(b, "<th valign=\"top\">%s</th>", blank ? blank : "&nbsp;");
    }
    st_puts(b, "<th>"), heading(l, b, 'N', "Name"), st_puts(b, "</th>");
    if (dates) st_puts(b, "<th>"), heading(l, b, 'M', "Last modified"), st_puts(b, "</th>");
    if (sizes) st_puts(b, "<th>"), heading(l, b, 'S', "Size"), st_puts(b, "</th>");
    if (descs) st_puts(b, "<th>"), heading(l, b, 'D', "Description"), st_puts(b, "</th>");
    st_puts(b, "</tr>\n");
    if (!has(l, MH_AI_SUPPRESS_RULES)) st_printf(b, "   <tr><th colspan=\"%d\"><hr></th></tr>\n", cols);
    if (parent) {
        st_puts(b, "<tr>");
        if (icons) {
            const char *img = icon_tag(l, "..", 1, "PARENTDIR");
            st_printf(b, "<td valign=\"top\">%s</td>", img ? img : "&nbsp;");
        }
        st_printf(b, "<td><a href=\"%s\">Parent Directory</a></td>", parent_href(l));
        if (dates) st_puts(b, "<td>&nbsp;</td>");
        if (sizes) st_puts(b, "<td align=\"right\">  - </td>");
        if (descs) st_puts(b, "<td>&nbsp;</td>");
        st_puts(b, "</tr>\n");
    }
    for (size_t i = 0; i < n; i++) {
        const st_entry *e = &list[i];
        const char *href = href_of(l, e);
        st_puts(b, "<tr>");
        if (icons) {
            const char *img = icon_tag(l, e->name, e->is_dir, e->is_dir ? "DIR" : "   ");
            if (img && has(l, MH_AI_ICONS_ARE_LINKS)) img = st_api->psprintf(l->p, "<a href=\"%s\">%s</a>", href, img);
            st_printf(b, "<td valign=\"top\">%s</td>", img ? img : "&nbsp;");
        }
        st_printf(b, "<td><a href=\"%s\">%s%s</a></td>", href, st_api->escape_html(l->p, e->name), e->is_dir ? "/" : "");
        if (dates) {
            char date[32];
            date_text(date, e->mtime);
            st_printf(b, "<td align=\"right\">%s  </td>", date);
        }
        if (sizes) {
            char size[24];
            size_text(size, e->is_dir ? -1 : e->size);
            st_printf(b, "<td align=\"right\">%s</td>", size);
        }
        if (descs) {
            st_printf(b, "<td>%s</td>", e->description ? e->description : "&nbsp;");
        }
        st_puts(b, "</tr>\n");
    }
    if (!has(l, MH_AI_SUPPRESS_RULES)) st_printf(b, "   <tr><th colspan=\"%d\"><hr></th></tr>\n", cols);
    st_puts(b, "</table>\n");
}

/* FancyIndexing without HTMLTable: Apache's <pre> columns. */
static void pre_list(listing *l, st_buf *b, const st_entry *list, size_t n, int parent)
{
    int icons = !has(l, MH_AI_SUPPRESS_ICON), dates = !has(l, MH_AI_SUPPRESS_LAST_MODIFIED);
    int sizes = !has(l, MH_AI_SUPPRESS_SIZE), descs = !has(l, MH_AI_SUPPRESS_DESCRIPTION);
    int width = l->s->name_width > 500 ? 500 : l->s->name_width; /* fits `shown` below */
    if (width == 0) { /* NameWidth=*: as wide as the longest name */
        width = 15;
        for (size_t i = 0; i < n; i++) {
            int w = (int)strlen(list[i].name) + list[i].is_dir;
            if (w > width) width = w;
        }
    }
    st_puts(b, "<pre>");
    if (icons) {
        const char *blank = icon_tag(l, "^^BLANKICON^^", 0, "ICO");
        if (blank) st_printf(b, "%s ", blank);
    }
    heading(l, b, 'N', "Name");
    st_printf(b, "%*s", width - 3, "");
    if (dates) heading(l, b, 'M', "Last modified"), st_puts(b, "      ");
    if (sizes) heading(l, b, 'S', "Size"), st_puts(b, "  ");
    if (descs) heading(l, b, 'D', "Description");
    st_puts(b, has(l, MH_AI_SUPPRESS_RULES) ? "\n" : "<hr>");
    for (size_t i = 0; i < n + (size_t)parent; i++) {
        int is_parent = parent && i == 0;
        const st_entry *e = is_parent ? NULL : &list[i - (size_t)parent];
        const char *name = is_parent ? "Parent Directory" : e->name;
        const char *href = is_parent ? parent_href(l) : href_of(l, e);
        if (icons) {
            const char *img = is_parent ? icon_tag(l, "..", 1, "PARENTDIR")
                                        : icon_tag(l, e->name, e->is_dir, e->is_dir ? "DIR" : "   ");
            if (img) st_printf(b, "%s ", img);
        }
        char shown[512];
        int len = snprintf(shown, sizeof shown, "%s%s", name, !is_parent && e->is_dir ? "/" : "");
        if (len < 0) len = 0;
        if (len > (int)sizeof shown - 1) len = (int)sizeof shown - 1;
        if (len > width) { /* Apache cuts a long name with "..>" */
            snprintf(shown + (width > 3 ? width - 3 : 0), 4, "..>");
            len = width;
        }
        st_printf(b, "<a href=\"%s\">%s</a>%*s ", href, st_api->escape_html(l->p, shown), width - len, "");
        if (dates) {
            char date[32] = "                ";
            if (!is_parent) date_text(date, e->mtime);
            st_printf(b, "%s  ", date);
        }
        if (sizes) {
            char size[24];
            size_text(size, is_parent || e->is_dir ? -1 : e->size);
            st_printf(b, "%s ", size);
        }
        if (descs && !is_parent && e->description) st_puts(b, e->description);
        st_puts(b, "\n");
    }
    st_puts(b, has(l, MH_AI_SUPPRESS_RULES) ? "</pre>\n" : "<hr></pre>\n");
}

void st_autoindex_page(mh_request *r, const mh_autoindex_provider *ai, int dirfd, st_entry *list, size_t n, st_buf *b,
                       const char **type)
{
    listing l = {r, st_api->request_pool(r), ai, ai->settings(r), NULL, 'N', 'A'};
    l.mime = st_api->lookup_provider(MH_MIME_PROVIDER_GROUP, MH_MIME_PROVIDER_NAME, MH_MIME_PROVIDER_VERSION);
    read_order(&l);
    for (size_t i = 0; i < n; i++) list[i].description = fancy(&l) ? ai->description(r, list[i].name) : NULL;
    if (n > 1) qsort_r(list, n, sizeof *list, compare, &l);

    const char *title = st_api->escape_html(l.p, st_api->request_path(r));
    included header = read_included(&l, dirfd, l.s->header_name);
    included readme = read_included(&l, dirfd, l.s->readme_name);
    int suppress_amble = has(&l, MH_AI_SUPPRESS_PREAMBLE);
    if (header.text && header.html) {
        if (!suppress_amble) preamble(&l, b, title);
        st_put(b, header.text, header.len);
    } else if (header.text) {
        preamble(&l, b, title);
        put_plain(&l, b, &header);
    } else {
        preamble(&l, b, title);
        st_printf(b, "<h1>Index of %s</h1>\n", title);
    }

    int parent = strcmp(st_api->request_path(r), "/") != 0 && !ai->ignored(r, "..");
    if (!fancy(&l)) plain_list(&l, b, list, n, parent);
    else if (has(&l, MH_AI_HTML_TABLE)) table_list(&l, b, list, n, parent);
    else pre_list(&l, b, list, n, parent);

    int post = 1;
    if (readme.text && readme.html) {
        st_put(b, readme.text, readme.len);
        post = !suppress_amble;
    } else {
        if (readme.text) put_plain(&l, b, &readme);
        st_puts(b, st_signature(r, ""));
    }
    if (post) st_puts(b, "</body></html>\n");
    *type = st_api->psprintf(l.p, "%s;charset=%s", l.s->type ? l.s->type : "text/html",
                             l.s->charset ? l.s->charset : "UTF-8");
}
