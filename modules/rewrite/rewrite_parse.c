/*
 * Apache's parsers for RewriteCond and RewriteRule lines: the words of the
 * line and the [flags] field, with Apache's error texts. All [master].
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rewrite.h"

/* One word: quoted ("..." or '...') or up to white space; "\ " keeps the
 * space (the backslash stays, as in Apache). Returns where the word ends. */
static char *word_end(char *s, char **start)
{
    char quote = (*s == '"' || *s == '\'') ? *s++ : '\0';
    *start = s;
    for (; *s; ++s) {
        if ((isspace((unsigned char)*s) && !quote) || *s == quote) break;
        if (*s == '\\' && isspace((unsigned char)s[1])) ++s;
    }
    return s;
}

static char *skip_space(char *s)
{
    while (isspace((unsigned char)*s)) ++s;
    return s;
}

int rw_split_args(char *line, char **a1, char **a2, char **a3)
{
    char *s = word_end(skip_space(line), a1);
    if (!*s) return -1;
    *s++ = '\0';
    s = word_end(skip_space(s), a2);
    *a3 = NULL;
    if (!*s) return 0;
    *s++ = '\0';
    s = skip_space(s);
    if (!*s) return 0;
    s = word_end(s, a3);
    *s = '\0';
    return 0;
}

const char *rw_parse_flags(mh_pool *p, char *field, void *data,
                           const char *(*set)(mh_pool *, void *, char *, char *))
{
    size_t n = strlen(field);
    if (n < 2 || field[0] != '[' || field[n - 1] != ']') return "bad flag delimiters";
    field[n - 1] = ','; /* every flag now ends with ',' */
    char *key = field + 1;
    while (*key) {
        key = skip_space(key);
        char *next = strchr(key, ',');
        if (!*key || next == NULL) break;
        char *end = next;
        while (end > key && isspace((unsigned char)end[-1])) --end;
        *end = '\0';
        char *val = strchr(key, '=');
        if (val) *val++ = '\0';
        else val = end;
        const char *err = set(p, data, key, val);
        if (err) return err;
        key = next + 1;
    }
    return NULL;
}

const char *rw_cond_flag(mh_pool *p, void *data, char *key, char *val)
{
    (void)val;
    rw_cond *c = data;
    if (!strcasecmp(key, "NC") || !strcasecmp(key, "nocase")) c->flags |= RW_CF_NOCASE;
    else if (!strcasecmp(key, "OR") || !strcasecmp(key, "ornext")) c->flags |= RW_CF_OR;
    else if (!strcasecmp(key, "NV") || !strcasecmp(key, "novary")) c->flags |= RW_CF_NOVARY;
    else return rw_api->psprintf(p, "unknown flag '%s'", key);
    return NULL;
}

/* Statuses Apache knows (ap_index_of_response): R= takes no other. */
static int known_status(int s)
{
    static const int known[] = {100, 101, 102, 103, 200, 201, 202, 203, 204, 205, 206, 207, 208, 226,
                                300, 301, 302, 303, 304, 305, 306, 307, 308, 400, 401, 402, 403, 404,
                                405, 406, 407, 408, 409, 410, 411, 412, 413, 414, 415, 416, 417, 418,
                                421, 422, 423, 424, 425, 426, 428, 429, 431, 451, 500, 501, 502, 503,
                                504, 505, 506, 507, 508, 510, 511};
    for (size_t i = 0; i < sizeof known / sizeof known[0]; ++i)
        if (known[i] == s) return 1;
    return 0;
}

static const char *set_redirect(mh_pool *p, rw_rule *rule, const char *val)
{
    rule->flags |= RW_RF_REDIRECT;
    if (!*val) return NULL;
    int status = 0;
    if (!strcasecmp(val, "permanent")) status = 301;
    else if (!strcasecmp(val, "temp")) status = 302;
    else if (!strcasecmp(val, "seeother")) status = 303;
    else if (isdigit((unsigned char)*val)) {
        status = atoi(val);
        if (status != 500 && !known_status(status))
            return rw_api->psprintf(p, "invalid HTTP response code '%s' for flag 'R'", val);
        if (status < 300 || status > 399) rule->flags |= RW_RF_STATUS | RW_RF_NOSUB;
    }
    if (status) rule->status = status; /* another word: Apache keeps the default */
    return NULL;
}

static void add_item(mh_pool *p, rw_item **list, const char *text)
{
    rw_item *it = rw_api->pcalloc(p, sizeof *it);
    it->text = text;
    while (*list) list = &(*list)->next;
    *list = it;
}

/* True when `key` is `name` or one of its long forms (case-insensitive). */
static int is(const char *key, const char *name, const char *long_name)
{
    return !strcasecmp(key, name) || (long_name && !strcasecmp(key, long_name));
}

/* Flags Apache has and this server does not, with the reason. */
static const char *unsupported(const char *key)
{
    if (is(key, "P", "proxy")) return "proxying";
    if (is(key, "B", "backrefescaping") || is(key, "BNP", "backrefnoplus") || is(key, "BCTLS", NULL) ||
        is(key, "BNE", NULL))
        return "escaping of back-references";
    if (is(key, "CO", "cookie")) return "cookies";
    return NULL;
}

const char *rw_rule_flag(mh_pool *p, void *data, char *key, char *val)
{
    rw_rule *rule = data;
    if (is(key, "L", "last")) rule->flags |= RW_RF_LAST;
    else if (is(key, "END", NULL)) rule->flags |= RW_RF_END;
    else if (is(key, "C", "chain")) rule->flags |= RW_RF_CHAIN;
    else if (is(key, "NC", "nocase")) rule->flags |= RW_RF_NOCASE;
    else if (is(key, "NE", "noescape")) rule->flags |= RW_RF_NOESCAPE;
    else if (is(key, "NS", "nosubreq")) ; /* no subrequests here: nothing to skip */
    else if (is(key, "DPI", "discardpath")) rule->flags |= RW_RF_DISCARDPATH;
    else if (is(key, "QSA", "qsappend")) rule->flags |= RW_RF_QSAPPEND;
    else if (is(key, "QSD", "qsdiscard")) rule->flags |= RW_RF_QSDISCARD;
    else if (is(key, "QSL", "qslast")) rule->flags |= RW_RF_QSLAST;
    else if (is(key, "PT", "passthrough")) rule->flags |= RW_RF_PASSTHROUGH;
    else if (is(key, "F", "forbidden")) {
        rule->flags |= RW_RF_STATUS | RW_RF_NOSUB;
        rule->status = 403;
    } else if (is(key, "G", "gone")) {
        rule->flags |= RW_RF_STATUS | RW_RF_NOSUB;
        rule->status = 410;
    } else if (is(key, "R", "redirect")) return set_redirect(p, rule, val);
    else if (is(key, "E", "env")) add_item(p, &rule->env, val);
    else if (is(key, "T", "type")) rule->type = val;
    else if (is(key, "H", "handler")) rule->handler = val;
    else if (is(key, "S", "skip")) rule->skip = atoi(val);
    else if (is(key, "N", "next")) {
        rule->flags |= RW_RF_NEXT;
        if (*val && strcasecmp(val, "next") != 0) rule->max_rounds = atoi(val);
    } else if (unsupported(key))
        return rw_api->psprintf(p, "flag '%s' (%s) is not supported by this server", key,
                                 unsupported(key));
    else return rw_api->psprintf(p, "unknown flag '%s'", key);
    return NULL;
}
