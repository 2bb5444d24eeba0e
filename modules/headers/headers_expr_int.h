/*
 * The expression tree shared by the parser (headers_expr_parse.c), the
 * evaluator (headers_expr_eval.c) and the variables and functions
 * (headers_expr_vars.c).
 */
#ifndef MOD_HEADERS_EXPR_INT_H
#define MOD_HEADERS_EXPR_INT_H

#include "headers.h"

typedef enum hd_node {
    /* conditions */
    XB_TRUE, XB_FALSE, XB_NOT, XB_AND, XB_OR,
    XB_STRCMP,   /* op: XC_* */
    XB_INTCMP,   /* op: XC_* */
    XB_UNARY,    /* op: 'n', 'z', 'T' */
    XB_MATCH,    /* re; negated for !~ */
    XB_IN,       /* a in list */
    XB_WILDCARD, /* op: XW_STRMATCH ... */
    /* words */
    XW_TEXT,     /* text */
    XW_CONCAT,   /* list, in order */
    XW_VAR,      /* op: variable id */
    XW_FUNC,     /* op: function id, a: its argument */
    XW_BACKREF   /* op: 0..9 */
} hd_node;

enum { XC_EQ, XC_NE, XC_LT, XC_LE, XC_GT, XC_GE };
enum { XM_STRMATCH, XM_STRCMATCH, XM_FNMATCH };

struct hd_expr {
    hd_node type;
    int op;
    int negated;
    const char *text;
    const hd_expr *a, *b;
    const hd_expr **list;
    int n;
    const mh_regex *re;
};

/* headers_expr_vars.c: ids of Apache's variables and string functions,
 * looked up without case; -1 when there is none of that name. */
int hd_var_id(const char *name);
int hd_func_id(const char *name);
const char *hd_var_value(mh_request *r, int id);
const char *hd_func_call(mh_request *r, int id, const char *arg);

#endif
