#define PCRE2_CODE_UNIT_WIDTH 8
#include "util/regex.h"

#include <pcre2.h>

#include <algorithm>

struct mh_regex {
    pcre2_code *code;
};

namespace mh::regex {
namespace {

// One match data block per thread, large enough for any group count.
pcre2_match_data *thread_match_data()
{
    struct Holder {
        pcre2_match_data *md = pcre2_match_data_create(MH_REGEX_MAX_MATCH + 20, nullptr);
        ~Holder() { pcre2_match_data_free(md); }
    };
    thread_local Holder h;
    return h.md;
}

}  // namespace

mh_regex *compile(std::string_view pattern, unsigned flags, std::string &error)
{
    int code = 0;
    PCRE2_SIZE offset = 0;
    uint32_t options = (flags & MH_REGEX_ICASE) ? PCRE2_CASELESS : 0;
    pcre2_code *re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), options, &code,
                                   &offset, nullptr);
    if (re == nullptr) {
        PCRE2_UCHAR buf[256];
        pcre2_get_error_message(code, buf, sizeof buf);
        error = std::string(reinterpret_cast<char *>(buf)) + " at offset " + std::to_string(offset);
        return nullptr;
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  // faster where the JIT is there; fine without
    return new mh_regex{re};
}

void free(mh_regex *re)
{
    if (re == nullptr) return;
    pcre2_code_free(re->code);
    delete re;
}

bool match(const mh_regex *re, std::string_view subject, mh_regmatch *m, int nmatch)
{
    pcre2_match_data *md = thread_match_data();
    int rc = pcre2_match(re->code, reinterpret_cast<PCRE2_SPTR>(subject.data()), subject.size(), 0, 0, md, nullptr);
    if (rc < 0) return false;
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
    uint32_t pairs = pcre2_get_ovector_count(md);
    for (int i = 0; i < nmatch; ++i) {
        bool set = uint32_t(i) < pairs && i < rc && ov[2 * i] != PCRE2_UNSET;
        m[i].start = set ? int(ov[2 * i]) : -1;
        m[i].end = set ? int(ov[2 * i + 1]) : -1;
    }
    return true;
}

std::string substitute(std::string_view tmpl, std::string_view subject, const mh_regmatch *m, int nmatch)
{
    std::string out;
    for (size_t i = 0; i < tmpl.size(); ++i) {
        char c = tmpl[i];
        if (c == '\\' && i + 1 < tmpl.size()) {
            out += tmpl[++i];  // Apache's ap_pregsub: the backslash goes, before any character
        } else if (c == '$' && i + 1 < tmpl.size() && tmpl[i + 1] >= '0' && tmpl[i + 1] <= '9') {
            int g = tmpl[++i] - '0';
            if (g < nmatch && m[g].start >= 0 && m[g].end > m[g].start)
                out.append(subject.substr(size_t(m[g].start), size_t(m[g].end - m[g].start)));
        } else {
            out += c;
        }
    }
    return out;
}

}  // namespace mh::regex
