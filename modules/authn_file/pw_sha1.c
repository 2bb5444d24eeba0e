/* "{SHA}" + base64(SHA-1(password)): htpasswd -s, Apache's apr_sha1_base64. */
#include <string.h>

#include <openssl/evp.h>

#include "authn_file.h"

int af_sha1_hash(const char *password, char *out)
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (!EVP_Digest(password, strlen(password), md, &n, EVP_sha1(), NULL)) return -1;
    memcpy(out, "{SHA}", 5);
    EVP_EncodeBlock((unsigned char *)out + 5, md, (int)n); /* 28 characters and a NUL */
    return 0;
}
