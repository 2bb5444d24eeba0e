/*
 * expr=: the part of Apache's ap_expr that Header conditions and values
 * use, parsed at configuration time into a tree and evaluated per request.
 *
 *   conditions  true false ! && || ( )
 *               word == != < <= > >= word            (strings)
 *               word -eq -ne -lt -le -gt -ge word    (integers; "eq" too)
 *               word =~ /re/[i]  word !~ m#re#[i]     ($0..$9 afterwards)
 *               word -in {word, ...}                 ("in" too)
 *               word -strmatch -strcmatch -fnmatch word (wildcards)
 *               -n word  -z word  -T word
 *   words       'text' "text" (with %{...} and $N inside), digits,
 *               %{VAR}, %{func:text}, func(word), $0..$9, word . word
 *
 * Variables and functions are listed in headers_expr_vars.c. Parsing runs
 * [master]; evaluating [worker].
 */
#ifndef MOD_HEADERS_EXPR_H
#define MOD_HEADERS_EXPR_H

#include <modhttpd/modhttpd.h>

typedef struct hd_expr hd_expr;

/* [master] Parses `text` as a condition or, with `string_mode`, as a string
 * (text with %{...} in it, as Apache's AP_EXPR_FLAG_STRING_RESULT). NULL
 * with *error set (in Apache's words where it has them). */
const hd_expr *hd_expr_parse(mh_pool *p, const char *text, int string_mode, const char **error);

/* 1 or 0. What could fail in Apache at this point (an unknown name, a bad
 * regex) was refused by the parser, so evaluation cannot fail. */
int hd_expr_bool(mh_request *r, const hd_expr *e);
/* The string, in the request's pool. */
const char *hd_expr_string(mh_request *r, const hd_expr *e);

#endif
