/* mod_ssl's directives, as Apache 2.4's, and the per-server config. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "ssl.h"

ssl_global_conf ssl_global = {SSL_CACHE_NONE, 512000};

void *ssl_create_server_config(mh_pool *pool)
{
    ssl_server_conf *c = ssl_api->pcalloc(pool, sizeof *c);
    c->engine = SSL_UNSET;
    c->protocols = SSL_UNSET;
    c->honor_order = SSL_UNSET;
    c->tickets = SSL_UNSET;
    c->cache_timeout = SSL_UNSET;
    return c;
}

#define MERGE_INT(f) out->f = add->f != SSL_UNSET ? add->f : base->f
#define MERGE_PTR(f) out->f = add->f ? add->f : base->f

void *ssl_merge_server_config(mh_pool *pool, const void *base_, const void *add_)
{
    const ssl_server_conf *base = base_, *add = add_;
    ssl_server_conf *out = ssl_api->pcalloc(pool, sizeof *out);
    MERGE_INT(engine);
    MERGE_INT(protocols);
    MERGE_INT(honor_order);
    MERGE_INT(tickets);
    MERGE_INT(cache_timeout);
    /* A certificate comes with its own key and chain, never half from the
     * main server (Apache keeps the pairs together too). */
    if (add->cert_file) {
        out->cert_file = add->cert_file;
        out->key_file = add->key_file;
        out->chain_file = add->chain_file ? add->chain_file : base->chain_file;
    } else {
        MERGE_PTR(cert_file);
        MERGE_PTR(key_file);
        MERGE_PTR(chain_file);
    }
    MERGE_PTR(cipher_list);
    MERGE_PTR(ciphersuites);
    return out;
}

int ssl_conf_protocols(const ssl_server_conf *c)
{
    return c->protocols == SSL_UNSET ? SSL_PROTO_DEFAULT : c->protocols;
}

long ssl_conf_cache_timeout(const ssl_server_conf *c) { return c->cache_timeout == SSL_UNSET ? 300 : c->cache_timeout; }

static ssl_server_conf *conf_of(const mh_cmd_parms *cmd) { return cmd->server_config; }

static const char *set_engine(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    if (strcasecmp(argv[0], "on") == 0) conf_of(cmd)->engine = 1;
    else if (strcasecmp(argv[0], "off") == 0) conf_of(cmd)->engine = 0;
    else if (strcasecmp(argv[0], "optional") == 0)
        return "SSLEngine optional (RFC 2817 upgrade) is not supported: use SSLEngine on or off";
    else return "Argument must be On, Off, or Optional";
    return NULL;
}

/* A file that must exist and not be empty: Apache's check, and its words. */
static const char *file_arg(const mh_cmd_parms *cmd, const char *arg, const char **out)
{
    const char *path = ssl_api->server_path(cmd->pool, cmd->server, arg);
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
        return ssl_api->psprintf(cmd->pool, "%s: file '%s' does not exist or is empty", cmd->directive, path);
    *out = path;
    return NULL;
}

static const char *check_pair_now(const mh_cmd_parms *cmd)
{
    ssl_server_conf *c = conf_of(cmd);
    if (!c->cert_file || !c->key_file) return NULL;
    return ssl_check_pair(cmd->pool, cmd->server, c->cert_file, c->key_file);
}

static const char *set_cert(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    ssl_server_conf *c = conf_of(cmd);
    if (c->cert_file)
        return "SSLCertificateFile: only one certificate per server is supported";
    const char *err = file_arg(cmd, argv[0], &c->cert_file);
    return err ? err : check_pair_now(cmd);
}

static const char *set_key(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    ssl_server_conf *c = conf_of(cmd);
    const char *err = file_arg(cmd, argv[0], &c->key_file);
    return err ? err : check_pair_now(cmd);
}

static const char *set_chain(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    return file_arg(cmd, argv[0], &conf_of(cmd)->chain_file);
}

/* Apache's ssl_cmd_protocol_parse: "all -SSLv3 +TLSv1.3"; a word without
 * + or - replaces what came before. */
static const char *set_protocol(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    int set = 0;
    for (int i = 0; i < argc; ++i) {
        const char *w = argv[i];
        char action = 0;
        if (*w == '+' || *w == '-') action = *w++;
        int bit;
        if (strcasecmp(w, "SSLv2") == 0) {
            if (action == '-') continue;
            return "SSLProtocol: SSLv2 is not supported";
        } else if (strcasecmp(w, "SSLv3") == 0) bit = SSL_PROTO_SSLV3;
        else if (strcasecmp(w, "TLSv1") == 0) bit = SSL_PROTO_TLSV1;
        else if (strcasecmp(w, "TLSv1.1") == 0) bit = SSL_PROTO_TLSV1_1;
        else if (strcasecmp(w, "TLSv1.2") == 0) bit = SSL_PROTO_TLSV1_2;
        else if (strcasecmp(w, "TLSv1.3") == 0) bit = SSL_PROTO_TLSV1_3;
        else if (strcasecmp(w, "all") == 0) bit = SSL_PROTO_ALL;
        else return ssl_api->psprintf(cmd->pool, "SSLProtocol: Illegal protocol '%s'", w);
        if (action == '-') set &= ~bit;
        else if (action == '+') set |= bit;
        else set = bit;
    }
    if (set == 0) return "SSLProtocol: no protocol left enabled";
    conf_of(cmd)->protocols = set;
    return NULL;
}

static const char *set_cipher_suite(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir;
    ssl_server_conf *c = conf_of(cmd);
    const char *proto = argc == 2 ? argv[0] : "SSL";
    const char *spec = argv[argc - 1];
    SSL_CTX *probe = SSL_CTX_new(TLS_server_method());
    int ok = 1;
    if (strcasecmp(proto, "SSL") == 0) {
        ok = probe && SSL_CTX_set_cipher_list(probe, spec);
        c->cipher_list = spec;
    } else if (strcasecmp(proto, "TLSv1.3") == 0) {
        ok = probe && SSL_CTX_set_ciphersuites(probe, spec);
        c->ciphersuites = spec;
    } else {
        SSL_CTX_free(probe);
        return ssl_api->psprintf(cmd->pool, "SSLCipherSuite: protocol '%s' not supported", proto);
    }
    SSL_CTX_free(probe);
    if (!ok) return ssl_api->psprintf(cmd->pool, "SSLCipherSuite: unable to configure permitted SSL ciphers '%s'", spec);
    return NULL;
}

static const char *set_flag(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    int on = strcasecmp(argv[0], "on") == 0;
    if (cmd->data == 0) conf_of(cmd)->honor_order = on;
    else conf_of(cmd)->tickets = on;
    return NULL;
}

/* "none", "nonenotnull", "shmcb:/path(size)" (the path is not used: the
 * cache lives in anonymous shared memory made before the children fork). */
static const char *set_session_cache(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    const char *a = argv[0];
    if (strcasecmp(a, "none") == 0) {
        ssl_global.cache_kind = SSL_CACHE_NONE;
    } else if (strcasecmp(a, "nonenotnull") == 0) {
        ssl_global.cache_kind = SSL_CACHE_NONE_NOT_NULL;
    } else if (strncasecmp(a, "shmcb", 5) == 0 && (a[5] == ':' || a[5] == '\0')) {
        ssl_global.cache_kind = SSL_CACHE_SHMCB;
        ssl_global.cache_size = 512000;
        const char *open = strchr(a, '(');
        if (open) {
            char *end;
            long size = strtol(open + 1, &end, 10);
            if (end == open + 1 || *end != ')' || end[1] != '\0')
                return ssl_api->psprintf(cmd->pool, "SSLSessionCache: Invalid argument: size has to be >= 8192 bytes");
            if (size < 8192) return "SSLSessionCache: Invalid argument: size has to be >= 8192 bytes";
            if (size > 64L * 1024 * 1024)
                return "SSLSessionCache: Invalid argument: size has to be < 64 MiB";
            ssl_global.cache_size = size;
        }
    } else {
        return ssl_api->psprintf(cmd->pool,
                                 "SSLSessionCache: Invalid argument: '%s' (supported: none, nonenotnull, shmcb)", a);
    }
    return NULL;
}

static const char *set_cache_timeout(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    char *end;
    long t = strtol(argv[0], &end, 10);
    if (end == argv[0] || *end || t < 0) return "SSLSessionCacheTimeout: Invalid argument";
    conf_of(cmd)->cache_timeout = t;
    return NULL;
}

/* Accepted only in the value that means "not used". */
static const char *only_value(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc;
    const char *allowed = (const char *)cmd->data;
    if (strcasecmp(argv[0], allowed) == 0) return NULL;
    return ssl_api->psprintf(cmd->pool, "%s %s is not supported by this mod_ssl (only %s)", cmd->directive, argv[0],
                             allowed);
}

static const char *unsupported(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)dir, (void)argc, (void)argv;
    return ssl_api->psprintf(cmd->pool, "%s is not supported by this mod_ssl (see docs/ssl.md)", cmd->directive);
}

static const char *ignored(const mh_cmd_parms *cmd, void *dir, int argc, const char *const *argv)
{
    (void)cmd, (void)dir, (void)argc, (void)argv;
    return NULL;
}

#define S MH_WHERE_SERVER
#define G (MH_WHERE_SERVER | MH_WHERE_NOT_IN_VHOST)

const mh_command ssl_commands[] = {
    {"SSLEngine", set_engine, 0, S, MH_TAKE1, "SSL switch for the protocol engine (`on', `off')"},
    {"SSLCertificateFile", set_cert, 0, S, MH_TAKE1, "SSL Server Certificate file (`/path/to/file' - PEM or DER encoded)"},
    {"SSLCertificateKeyFile", set_key, 0, S, MH_TAKE1, "SSL Server Private Key file (`/path/to/file' - PEM or DER encoded)"},
    {"SSLCertificateChainFile", set_chain, 0, S, MH_TAKE1, "SSL Server CA Certificate Chain file (`/path/to/file' - PEM encoded)"},
    {"SSLProtocol", set_protocol, 0, S, MH_TAKE_ARGV, "Enable or disable various SSL protocols (`[+-][TLSv1|TLSv1.1|TLSv1.2|TLSv1.3] ...' - see manual)"},
    {"SSLCipherSuite", set_cipher_suite, 0, S, MH_TAKE12, "Colon-delimited list of permitted SSL Ciphers ('XXX:...:XXX' - see manual)"},
    {"SSLHonorCipherOrder", set_flag, 0, S, MH_FLAG, "Use the server's cipher ordering preference"},
    {"SSLSessionTickets", set_flag, 1, S, MH_FLAG, "TLS Session Tickets (RFC 5077) support"},
    {"SSLSessionCache", set_session_cache, 0, G, MH_TAKE1, "SSL Session Cache storage (`none', `nonenotnull', `shmcb:/path/to/file(size)')"},
    {"SSLSessionCacheTimeout", set_cache_timeout, 0, S, MH_TAKE1, "SSL Session Cache object lifetime (`N' - number of seconds)"},
    /* Accepted in their harmless value only. */
    {"SSLVerifyClient", only_value, (uintptr_t)"none", MH_WHERE_ANY, MH_TAKE1, "SSL Client verify type (`none' only)"},
    {"SSLUseStapling", only_value, (uintptr_t)"off", S, MH_FLAG, "SSL switch for OCSP Stapling (`off' only)"},
    {"SSLProxyEngine", only_value, (uintptr_t)"off", S, MH_FLAG, "SSL switch for the proxy protocol engine (`off' only)"},
    {"SSLCompression", only_value, (uintptr_t)"off", S, MH_FLAG, "Enable SSL level compression (`off' only)"},
    {"SSLInsecureRenegotiation", only_value, (uintptr_t)"off", S, MH_FLAG, "Enable support for insecure renegotiation (`off' only)"},
    /* Accepted and without effect here (docs/ssl.md says why). */
    {"SSLRandomSeed", ignored, 0, G, MH_TAKE23, "SSL Pseudo Random Number Generator (PRNG) seeding source: OpenSSL seeds itself"},
    {"SSLOptions", ignored, 0, MH_WHERE_ANY, MH_RAW_ARGS, "Set one or more options to configure the SSL engine"},
    {"SSLStrictSNIVHostCheck", only_value, (uintptr_t)"off", S, MH_FLAG, "Strict SNI virtual host checking (`off' only)"},
    /* Refused: what Apache has and this module does not. */
    {"SSLCACertificateFile", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLCACertificatePath", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLCARevocationFile", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLCARevocationPath", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLVerifyDepth", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLRequire", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLRequireSSL", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLStaplingCache", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLStaplingResponderTimeout", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLStaplingReturnResponderErrors", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLStaplingStandardCacheTimeout", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyCACertificateFile", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyVerify", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyProtocol", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyCipherSuite", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyCheckPeerName", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyCheckPeerCN", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyCheckPeerExpire", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLProxyMachineCertificateFile", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLOpenSSLConfCmd", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLCryptoDevice", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLPassPhraseDialog", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    {"SSLFIPS", unsupported, 0, MH_WHERE_ANY, MH_RAW_ARGS, "not supported"},
    MH_COMMAND_END,
};
