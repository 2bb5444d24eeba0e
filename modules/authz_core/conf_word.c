/* ap_getword_conf and its substring_conf, as Apache's util.c has them. */
#include "conf_word.h"

#include <ctype.h>
#include <string.h>

/* Copies len bytes of start, turning \\ and \<quote> into the character. */
static char *substring_conf(const mh_api *api, mh_pool *p, const char *start, size_t len, char quote)
{
    char *result = api->palloc(p, len + 1);
    char *out = result;
    for (size_t i = 0; i < len; ++i) {
        if (start[i] == '\\' && i + 1 < len && (start[i + 1] == '\\' || (quote && start[i + 1] == quote)))
            *out++ = start[++i];
        else
            *out++ = start[i];
    }
    *out = '\0';
    return result;
}

char *conf_getword(const mh_api *api, mh_pool *p, const char **line)
{
    const char *str = *line, *end;
    char *word;
    while (isspace((unsigned char)*str)) ++str;
    if (*str == '\0') {
        *line = str;
        return api->pstrdup(p, "");
    }
    char quote = *str;
    if (quote == '"' || quote == '\'') {
        end = str + 1;
        while (*end && *end != quote) end += (*end == '\\' && (end[1] == quote || end[1] == '\\')) ? 2 : 1;
        word = substring_conf(api, p, str + 1, (size_t)(end - (str + 1)), quote);
        if (*end == quote) ++end;
    } else {
        end = str;
        while (*end && !isspace((unsigned char)*end)) ++end;
        word = substring_conf(api, p, str, (size_t)(end - str), 0);
    }
    while (isspace((unsigned char)*end)) ++end;
    *line = end;
    return word;
}

const char *conf_refuse_expr(const mh_api *api, mh_pool *p, const char *args)
{
    if (strstr(args, "%{") == NULL) return NULL;
    return api->psprintf(p, "Cannot parse expression in require line: %s: %%{...} expressions are not supported",
                         args);
}
