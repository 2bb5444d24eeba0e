/*
 * [master] expr= text to a tree (headers_expr_int.h): a hand-written scanner
 * and recursive descent over Apache's ap_expr grammar, the subset listed in
 * headers_expr.h. "!" binds tighter than "&&", which binds tighter than
 * "||"; both are left-associative, as in ap_expr_parse.y.
 */
#include <ctype.h>
#include <string.h>

#include "headers_expr_int.h"

typedef struct parser {
    mh_pool *p;
    const char *s;
    const char *error; /* the first error wins */
} parser;

static hd_expr *fail(parser *ps, const char *msg)
{
    if (ps->error == NULL) ps->error = msg;
    return NULL;
}

static hd_expr *syntax_error(parser *ps)
{
    if (*ps->s == '\0') return fail(ps, "syntax error, unexpected $end");
    return fail(ps, hd_api->psprintf(ps->p, "syntax error at '%.20s'", ps->s));
}

static hd_expr *node(parser *ps, hd_node type)
{
    hd_expr *e = hd_api->pcalloc(ps->p, sizeof *e);
    e->type = type;
    return e;
}

static void skip_ws(parser *ps)
{
    while (isspace((unsigned char)*ps->s)) ++ps->s;
}

static int is_id(char c) { return isalnum((unsigned char)c) || c == '_'; }

/* `word` at the cursor as a whole word (not the start of a longer one). */
static int take_word(parser *ps, const char *word)
{
    size_t n = strlen(word);
    if (strncmp(ps->s, word, n) != 0 || is_id(ps->s[n])) return 0;
    ps->s += n;
    return 1;
}

static int take(parser *ps, const char *token)
{
    size_t n = strlen(token);
    if (strncmp(ps->s, token, n) != 0) return 0;
    ps->s += n;
    return 1;
}

/* A list that grows in the configuration pool. */
static void push(parser *ps, hd_expr *list, const hd_expr *item)
{
    const hd_expr **grown = hd_api->palloc(ps->p, sizeof *grown * (size_t)(list->n + 1));
    if (list->n) memcpy(grown, list->list, sizeof *grown * (size_t)list->n);
    grown[list->n++] = item;
    list->list = grown;
}

static hd_expr *text_node(parser *ps, const char *start, size_t n)
{
    hd_expr *t = node(ps, XW_TEXT);
    t->text = hd_api->pstrndup(ps->p, start, n);
    return t;
}

static hd_expr *parse_string(parser *ps, char end);

/* After "%{": a variable, or "func:argument". */
static hd_expr *parse_var(parser *ps)
{
    const char *start = ps->s;
    while (is_id(*ps->s)) ++ps->s;
    /* Apache's (bison's) words for the usual mistakes. */
    const char *expecting = ps->s == start ? "T_ID" : "T_VAR_END or ':'";
    if (*ps->s == '\0')
        return fail(ps, hd_api->psprintf(ps->p, "syntax error, unexpected T_ERROR, expecting %s: "
                                                "Unterminated string or variable", expecting));
    if (ps->s == start && *ps->s == '}') return fail(ps, "syntax error, unexpected T_VAR_END, expecting T_ID");
    if (ps->s == start || (*ps->s != '}' && *ps->s != ':'))
        return fail(ps, hd_api->psprintf(ps->p, "syntax error, unexpected T_ERROR, expecting %s: "
                                                "Invalid character in variable name '%c'", expecting, *ps->s));
    const char *name = hd_api->pstrndup(ps->p, start, (size_t)(ps->s - start));
    if (*ps->s++ == '}') {
        hd_expr *v = node(ps, XW_VAR);
        v->op = hd_var_id(name);
        if (v->op == -1) return fail(ps, hd_api->psprintf(ps->p, "Variable '%s' does not exist", name));
        if (v->op == -2) return fail(ps, hd_api->psprintf(ps->p, "Variable '%s' is not supported by modhttpd", name));
        return v;
    }
    hd_expr *f = node(ps, XW_FUNC);
    f->op = hd_func_id(name);
    if (f->op < 0) return fail(ps, hd_api->psprintf(ps->p, "Function '%s' does not exist", name));
    f->a = parse_string(ps, '}');
    if (f->a == NULL) return NULL;
    ++ps->s; /* the '}' parse_string stopped at */
    return f;
}

/* Text up to `end` ('\0' for a whole string expression), with %{...},
 * $0..$9 and backslash escapes in it. Stops at `end`, not past it. */
static hd_expr *parse_string(parser *ps, char end)
{
    hd_expr *cat = node(ps, XW_CONCAT);
    char *buf = hd_api->palloc(ps->p, strlen(ps->s) + 1);
    size_t n = 0;
    for (;;) {
        char c = *ps->s;
        if (c == end) break;
        if (c == '\0') return fail(ps, "Unterminated string or variable");
        const hd_expr *part = NULL;
        if (c == '%' && ps->s[1] == '{') {
            ps->s += 2;
            if ((part = parse_var(ps)) == NULL) return NULL;
        } else if (c == '$' && isdigit((unsigned char)ps->s[1])) {
            hd_expr *b = node(ps, XW_BACKREF);
            b->op = ps->s[1] - '0';
            ps->s += 2;
            part = b;
        } else if (c == '\\' && ps->s[1]) {
            char e = ps->s[1];
            buf[n++] = e == 'n' ? '\n' : e == 'r' ? '\r' : e == 't' ? '\t' : e;
            ps->s += 2;
            continue;
        } else {
            buf[n++] = c;
            ++ps->s;
            continue;
        }
        if (n) push(ps, cat, text_node(ps, buf, n));
        n = 0;
        push(ps, cat, part);
    }
    if (n || cat->n == 0) push(ps, cat, text_node(ps, buf, n));
    return cat->n == 1 ? (hd_expr *)cat->list[0] : cat;
}

static hd_expr *parse_word(parser *ps);

static hd_expr *parse_atom(parser *ps)
{
    skip_ws(ps);
    const char *s = ps->s;
    if (isdigit((unsigned char)*s)) {
        while (isdigit((unsigned char)*ps->s)) ++ps->s;
        return text_node(ps, s, (size_t)(ps->s - s));
    }
    if (*s == '\'' || *s == '"') {
        ++ps->s;
        hd_expr *str = parse_string(ps, *s);
        if (str) ++ps->s;
        return str;
    }
    if (s[0] == '%' && s[1] == '{') {
        ps->s += 2;
        return parse_var(ps);
    }
    if (s[0] == '$' && isdigit((unsigned char)s[1])) {
        hd_expr *b = node(ps, XW_BACKREF);
        b->op = s[1] - '0';
        ps->s += 2;
        return b;
    }
    if (isalpha((unsigned char)*s)) { /* func(word) */
        while (is_id(*ps->s)) ++ps->s;
        const char *name = hd_api->pstrndup(ps->p, s, (size_t)(ps->s - s));
        skip_ws(ps);
        if (!take(ps, "(")) return syntax_error(ps);
        hd_expr *f = node(ps, XW_FUNC);
        f->op = hd_func_id(name);
        if (f->op < 0) return fail(ps, hd_api->psprintf(ps->p, "Function '%s' does not exist", name));
        if ((f->a = parse_word(ps)) == NULL) return NULL;
        skip_ws(ps);
        return take(ps, ")") ? f : syntax_error(ps);
    }
    return syntax_error(ps);
}

/* word ( "." word )* */
static hd_expr *parse_word(parser *ps)
{
    hd_expr *w = parse_atom(ps);
    if (w == NULL) return NULL;
    skip_ws(ps);
    if (*ps->s != '.') return w;
    hd_expr *cat = node(ps, XW_CONCAT);
    push(ps, cat, w);
    while (take(ps, ".")) {
        hd_expr *next = parse_atom(ps);
        if (next == NULL) return NULL;
        push(ps, cat, next);
        skip_ws(ps);
    }
    return cat;
}

/* After =~ or !~: /re/ or m<c>re<c>, then an optional i. */
static hd_expr *parse_regex(parser *ps, hd_expr *m)
{
    skip_ws(ps);
    char delim;
    if (*ps->s == '/') delim = '/';
    else if (*ps->s == 'm' && ps->s[1] && !isalnum((unsigned char)ps->s[1]) && !isspace((unsigned char)ps->s[1]))
        delim = *++ps->s;
    else return syntax_error(ps);
    const char *start = ++ps->s;
    while (*ps->s && *ps->s != delim) ps->s += ps->s[0] == '\\' && ps->s[1] ? 2 : 1;
    if (*ps->s != delim) return fail(ps, "Unterminated regexp");
    const char *pattern = hd_api->pstrndup(ps->p, start, (size_t)(ps->s - start));
    ++ps->s;
    unsigned flags = 0;
    if (*ps->s == 'i' && !is_id(ps->s[1])) {
        flags = MH_REGEX_ICASE;
        ++ps->s;
    }
    const char *err = NULL;
    m->re = hd_api->regex_compile(ps->p, pattern, flags, &err);
    return m->re ? m : fail(ps, "Failed to compile regular expression");
}

/* "{" word ("," word)* "}" */
static hd_expr *parse_list(parser *ps, hd_expr *in)
{
    skip_ws(ps);
    if (!take(ps, "{")) return syntax_error(ps);
    do {
        hd_expr *w = parse_word(ps);
        if (w == NULL) return NULL;
        push(ps, in, w);
        skip_ws(ps);
    } while (take(ps, ","));
    return take(ps, "}") ? in : syntax_error(ps);
}

/* An operator this parser does not evaluate: Apache's file tests (-d, -f
 * ...) and -ipmatch are real there, so say so rather than "no such". */
static hd_expr *unknown_op(parser *ps, const char *kind)
{
    static const char *const apache_only[] = {"-d", "-e", "-f", "-s", "-L", "-h", "-F", "-U", "-A", "-x",
                                              "-R", "-ipmatch", NULL};
    const char *start = ps->s++;
    while (is_id(*ps->s)) ++ps->s;
    const char *op = hd_api->pstrndup(ps->p, start, (size_t)(ps->s - start));
    for (int i = 0; apache_only[i]; ++i)
        if (strcmp(op, apache_only[i]) == 0)
            return fail(ps, hd_api->psprintf(ps->p, "%s operator '%s' is not supported by modhttpd", kind, op));
    return fail(ps, hd_api->psprintf(ps->p, "%s operator '%s' does not exist", kind, op));
}

static int int_op(parser *ps, int *op)
{
    static const char *const names[] = {"eq", "ne", "lt", "le", "gt", "ge"};
    for (int i = 0; i < 6; ++i) {
        const char *s = ps->s;
        if (*s == '-') ++ps->s;
        if (take_word(ps, names[i])) {
            *op = i; /* same order as XC_* */
            return 1;
        }
        ps->s = s;
    }
    return 0;
}

static int wildcard_op(parser *ps, int *op)
{
    static const struct {
        const char *word;
        int op;
    } ops[] = {{"-strmatch", XM_STRMATCH}, {"-strcmatch", XM_STRCMATCH}, {"-fnmatch", XM_FNMATCH}};
    for (size_t i = 0; i < sizeof ops / sizeof ops[0]; ++i)
        if (take_word(ps, ops[i].word)) {
            *op = ops[i].op;
            return 1;
        }
    return 0;
}

/* word <operator> ...: the comparisons. */
static hd_expr *parse_comparison(parser *ps)
{
    hd_expr *a = parse_word(ps);
    if (a == NULL) return NULL;
    skip_ws(ps);
    static const struct {
        const char *token;
        int op;
    } strops[] = {{"==", XC_EQ}, {"!=", XC_NE}, {"<=", XC_LE}, {"<", XC_LT}, {">=", XC_GE}, {">", XC_GT}};
    hd_expr *e;
    int op;
    if (take(ps, "=~") || take(ps, "!~")) {
        e = node(ps, XB_MATCH);
        e->a = a;
        e->negated = ps->s[-2] == '!';
        return parse_regex(ps, e);
    }
    if (take_word(ps, "-in") || take_word(ps, "in")) {
        e = node(ps, XB_IN);
        e->a = a;
        return parse_list(ps, e);
    }
    if (int_op(ps, &op)) {
        e = node(ps, XB_INTCMP);
    } else if (wildcard_op(ps, &op)) {
        e = node(ps, XB_WILDCARD);
    } else {
        e = NULL;
        for (size_t i = 0; i < sizeof strops / sizeof strops[0] && e == NULL; ++i)
            if (take(ps, strops[i].token)) {
                e = node(ps, XB_STRCMP);
                op = strops[i].op;
            }
        if (e == NULL) return *ps->s == '-' && isalpha((unsigned char)ps->s[1]) ? unknown_op(ps, "Binary") : syntax_error(ps);
    }
    e->op = op;
    e->a = a;
    e->b = parse_word(ps);
    return e->b ? e : NULL;
}

static hd_expr *parse_or(parser *ps);

static hd_expr *parse_primary(parser *ps)
{
    skip_ws(ps);
    if (take(ps, "!")) {
        hd_expr *e = node(ps, XB_NOT);
        e->a = parse_primary(ps);
        return e->a ? e : NULL;
    }
    if (take(ps, "(")) {
        hd_expr *e = parse_or(ps);
        skip_ws(ps);
        if (e && !take(ps, ")")) return syntax_error(ps);
        return e;
    }
    if (take_word(ps, "true")) return node(ps, XB_TRUE);
    if (take_word(ps, "false")) return node(ps, XB_FALSE);
    if (ps->s[0] == '-' && ps->s[1] && strchr("nzT", ps->s[1]) && !is_id(ps->s[2])) {
        hd_expr *e = node(ps, XB_UNARY);
        e->op = ps->s[1];
        ps->s += 2;
        e->a = parse_word(ps);
        return e->a ? e : NULL;
    }
    if (ps->s[0] == '-' && isalpha((unsigned char)ps->s[1])) return unknown_op(ps, "Unary");
    return parse_comparison(ps);
}

static hd_expr *parse_and(parser *ps)
{
    hd_expr *a = parse_primary(ps);
    for (;;) {
        if (a == NULL) return NULL;
        skip_ws(ps);
        if (!take(ps, "&&")) return a;
        hd_expr *e = node(ps, XB_AND);
        e->a = a;
        e->b = parse_primary(ps);
        a = e->b ? e : NULL;
    }
}

static hd_expr *parse_or(parser *ps)
{
    hd_expr *a = parse_and(ps);
    for (;;) {
        if (a == NULL) return NULL;
        skip_ws(ps);
        if (!take(ps, "||")) return a;
        hd_expr *e = node(ps, XB_OR);
        e->a = a;
        e->b = parse_and(ps);
        a = e->b ? e : NULL;
    }
}

const hd_expr *hd_expr_parse(mh_pool *p, const char *text, int string_mode, const char **error)
{
    parser ps = {p, text, NULL};
    hd_expr *e = string_mode ? parse_string(&ps, '\0') : parse_or(&ps);
    if (e && !string_mode) {
        skip_ws(&ps);
        if (*ps.s) e = syntax_error(&ps);
    }
    if (e == NULL) *error = ps.error ? ps.error : "syntax error";
    return e;
}
