/*
 * Header values: text with backslash escapes (\t \n \r \\; any other
 * backslash stays) and Apache's %-tags, parsed once at configuration time
 * (parse_misc_string / parse_format_tag in mod_headers.c) and rendered per
 * request.
 */
#define _GNU_SOURCE
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "headers.h"

/* [master] Literal text up to the next '%', unescaped. */
static const char *parse_text(mh_pool *p, const char *s, hd_part *part)
{
    const char *end = strchr(s, '%');
    if (end == NULL) end = s + strlen(s);
    char *d = hd_api->palloc(p, (size_t)(end - s) + 1);
    part->kind = HD_TEXT;
    part->arg = d;
    while (s < end) {
        if (*s != '\\') {
            *d++ = *s++;
            continue;
        }
        switch (s[1]) {
        case '\\': *d++ = '\\'; s += 2; break;
        case 'r': *d++ = '\r'; s += 2; break;
        case 'n': *d++ = '\n'; s += 2; break;
        case 't': *d++ = '\t'; s += 2; break;
        default: *d++ = *s++; break; /* kept; the next character is read as usual */
        }
    }
    *d = '\0';
    return s;
}

static int tag_kind(char c, hd_part_kind *kind)
{
    switch (c) {
    case 't': *kind = HD_TIME; return 1;
    case 'D': *kind = HD_DURATION; return 1;
    case 'e': *kind = HD_ENV; return 1;
    case 's': *kind = HD_SSL; return 1;
    case 'l': *kind = HD_LOAD; return 1;
    case 'i': *kind = HD_IDLE; return 1;
    case 'b': *kind = HD_BUSY; return 1;
    default: return 0;
    }
}

/* [master] One %-tag at `*sp` (which starts with '%'); NULL or the error. */
static const char *parse_tag(mh_pool *p, const char **sp, hd_part *part)
{
    const char *s = *sp + 1;
    if (*s == '%' || *s == '\0') { /* "%%", or a '%' that ends the value */
        part->kind = HD_TEXT;
        part->arg = "%";
        *sp = *s ? s + 1 : s;
        return NULL;
    }
    part->arg = "";
    if (*s == '{') {
        /* ap_getword(..., '}'): up to the brace, then past every '}' in a row. */
        const char *close = strchr(++s, '}');
        if (close == NULL) close = s + strlen(s);
        part->arg = hd_api->pstrndup(p, s, (size_t)(close - s));
        s = close;
        while (*s == '}') ++s;
    }
    if (!tag_kind(*s, &part->kind)) return hd_api->psprintf(p, "Unrecognized header format %%%c", *s);
    *sp = s + 1;
    return NULL;
}

const char *hd_parse_format(mh_pool *p, const char *s, hd_format **out)
{
    hd_format *f = hd_api->pcalloc(p, sizeof *f);
    /* Each part takes at least one character: the length bounds the count. */
    f->parts = hd_api->palloc(p, sizeof *f->parts * (strlen(s) + 1));
    while (*s) {
        hd_part *part = &f->parts[f->n++];
        if (*s != '%') {
            s = parse_text(p, s, part);
            continue;
        }
        const char *err = parse_tag(p, &s, part);
        if (err) return err;
        if (part->kind == HD_TIME || part->kind == HD_DURATION) f->uses_time = 1;
    }
    *out = f;
    return NULL;
}

/* Apache's unwrap_header: a variable's line breaks become blanks, so that
 * it cannot end the header line. */
static const char *unwrap(mh_pool *p, const char *v)
{
    if (strpbrk(v, "\r\n") == NULL) return v;
    char *copy = hd_api->pstrdup(p, v);
    for (char *c = copy; *c; ++c)
        if (*c == '\r' || *c == '\n') *c = ' ';
    return copy;
}

/* Idle and busy workers, counted as Apache's ap_get_sload does. */
static void worker_load(int *idle, int *busy)
{
    mh_status_global g;
    memset(&g, 0, sizeof g);
    g.struct_size = sizeof g;
    *idle = *busy = 0;
    if (hd_api->status_global(&g) != 0) return;
    for (int p = 0; p < g.server_limit; ++p) {
        mh_status_process proc;
        memset(&proc, 0, sizeof proc);
        proc.struct_size = sizeof proc;
        if (hd_api->status_process(p, &proc) != 0 || proc.pid == 0) continue;
        for (int t = 0; t < g.thread_limit; ++t) {
            mh_status_worker w;
            memset(&w, 0, sizeof w);
            w.struct_size = sizeof w;
            if (hd_api->status_worker(p, t, &w) != 0) continue;
            if (w.state == MH_WORKER_READY && !proc.quiescing) ++*idle;
            else if (w.state != MH_WORKER_DEAD && w.state != MH_WORKER_STARTING && w.state != MH_WORKER_IDLE_KILL)
                ++*busy;
        }
    }
}

static const char *render_part(mh_request *r, const hd_part *part)
{
    mh_pool *p = hd_api->request_pool(r);
    switch (part->kind) {
    case HD_TEXT: return part->arg;
    case HD_TIME: return hd_api->psprintf(p, "t=%" PRId64, hd_request_time(r));
    case HD_DURATION: {
        struct timespec now;
        clock_gettime(CLOCK_REALTIME, &now);
        int64_t us = (int64_t)now.tv_sec * 1000000 + now.tv_nsec / 1000;
        return hd_api->psprintf(p, "D=%" PRId64, us - hd_request_time(r));
    }
    case HD_ENV: {
        const char *v = hd_api->table_get(hd_api->subprocess_env(r), part->arg);
        return v ? unwrap(p, v) : "(null)";
    }
    case HD_SSL: return "(null)";
    case HD_LOAD: {
        double l[3] = {0, 0, 0};
        if (getloadavg(l, 3) < 0) l[0] = l[1] = l[2] = -1; /* Apache's value when unknown */
        return hd_api->psprintf(p, "l=%.2f/%.2f/%.2f", l[0], l[1], l[2]);
    }
    case HD_IDLE:
    case HD_BUSY: {
        int idle, busy;
        worker_load(&idle, &busy);
        return hd_api->psprintf(p, "%c=%d", part->kind == HD_IDLE ? 'i' : 'b', part->kind == HD_IDLE ? idle : busy);
    }
    }
    return "";
}

char *hd_render(mh_request *r, const hd_format *f)
{
    const char *pieces[64];
    const char **v = f->n <= 64 ? pieces : hd_api->palloc(hd_api->request_pool(r), sizeof *v * (size_t)f->n);
    size_t len = 0;
    for (int i = 0; i < f->n; ++i) {
        v[i] = render_part(r, &f->parts[i]);
        len += strlen(v[i]);
    }
    char *out = hd_api->palloc(hd_api->request_pool(r), len + 1), *d = out;
    for (int i = 0; i < f->n; ++i) {
        size_t n = strlen(v[i]);
        memcpy(d, v[i], n);
        d += n;
    }
    *d = '\0';
    return out;
}
