// TypesConfig (a mime.types file) and AddType: file extension -> media type.
#pragma once

#include <string>
#include <string_view>
#include <unordered_map>

namespace mh {

class MimeTypes {
public:
    // Reads a mime.types file ("type ext1 ext2 ...", '#' comments). Returns
    // false and sets `error` (with the line number) when it cannot be read.
    bool load(const std::string &path, std::string &error);
    // AddType: ext with or without the leading dot, any case.
    void add(std::string_view type, std::string_view extension);
    // Type for the last extension of `filename` ("a.tar.gz" -> gz), case
    // insensitive; nullptr when unknown.
    const std::string *lookup(std::string_view filename) const;
    bool empty() const { return by_extension_.empty(); }

private:
    std::unordered_map<std::string, std::string> by_extension_;  // lower-case ext
};

}  // namespace mh
