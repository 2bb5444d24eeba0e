/* Apache's ap_strcmp_match / ap_strcasecmp_match: '*' matches any run of
 * characters (slashes too), '?' any one. */
#include <ctype.h>

#include "autoindex.h"

static int same(char a, char b, int icase)
{
    return icase ? tolower((unsigned char)a) == tolower((unsigned char)b) : a == b;
}

int ai_match(const char *s, const char *p, int icase)
{
    const char *star = NULL, *resume = NULL;
    while (*s) {
        if (*p == '*') {
            star = ++p;
            resume = s;
        } else if (*p && (*p == '?' || same(*p, *s, icase))) {
            p++;
            s++;
        } else if (star) {
            p = star;
            s = ++resume;
        } else {
            return 0;
        }
    }
    while (*p == '*') p++;
    return *p == '\0';
}
