#include <doctest/doctest.h>

#include <string>

#include "config/config_tree.h"
#include "module_registry.h"

namespace {
std::string module_path(const char *name) { return std::string(TEST_MODULES_DIR) + "/" + name; }

std::string load_error(const std::string &symbol, const std::string &path)
{
    try {
        mh::load_module(symbol, path);
    } catch (const mh::config::Error &e) {
        return e.what();
    }
    return "";
}
}  // namespace

TEST_CASE("a module is loaded once and found again")
{
    std::string path = module_path("mod_hello.so");
    mh::LoadedModule &a = mh::load_module("hello_module", path);
    mh::LoadedModule &b = mh::load_module("hello_module", path);
    CHECK(&a == &b);
    CHECK(a.source == "mod_hello.c");
    CHECK(a.desc.abi_major == MH_ABI_MAJOR);
    CHECK(a.desc.commands != nullptr);
    CHECK(a.desc.mpm == nullptr);
}

TEST_CASE("missing file: the loader's own message")
{
    std::string path = module_path("mod_absent.so");
    CHECK(load_error("absent_module", path) ==
          "Cannot load " + path + " into server: " + path + ": cannot open shared object file: No such file or directory");
}

TEST_CASE("not a shared object")
{
    std::string err = load_error("x_module", TEST_MODULES_DIR "/../../build.ninja");
    CHECK(err.rfind("Cannot load ", 0) == 0);
}

TEST_CASE("missing symbol")
{
    std::string path = module_path("mod_hello.so");
    CHECK(load_error("nothere_module", path) == "Can't locate API module structure `nothere_module' in file " + path +
                                                    ": " + path + ": undefined symbol: nothere_module");
}

TEST_CASE("wrong magic: garbled, with both signatures")
{
    std::string path = module_path("mod_garbled.so");
    CHECK(load_error("garbled_module", path) ==
          "API module structure 'garbled_module' in file " + path +
              " is garbled - expected signature 4d484431 but saw 41503234 - perhaps this is not a modhttpd module "
              "DSO, or was compiled for a different modhttpd version?");
}

TEST_CASE("another ABI major is refused naming the module and both versions")
{
    std::string err = load_error("forged_major_module", module_path("mod_forged_major.so"));
    CHECK(err.find("Module \"mod_forged_major.c\"") == 0);
    CHECK(err.find("module built for ABI " + std::to_string(MH_ABI_MAJOR + 1) + ".0") != std::string::npos);
    CHECK(err.find("this server has ABI " + std::to_string(MH_ABI_MAJOR) + "." + std::to_string(MH_ABI_MINOR)) !=
          std::string::npos);
}

TEST_CASE("a shorter (older) descriptor is read up to its size, the rest zero")
{
    mh::LoadedModule &m = mh::load_module("old_layout_module", module_path("mod_old_layout.so"));
    CHECK((m.desc.register_hooks != nullptr));
    CHECK(m.desc.mpm == nullptr);  // the bytes past struct_size are not read
    CHECK(m.desc.struct_size == sizeof(mh_module));
}

TEST_CASE("check_descriptor rejects a size too small to hold the header")
{
    mh_module m{};
    m.magic = MH_MODULE_MAGIC;
    m.abi_major = MH_ABI_MAJOR;
    m.struct_size = 8;
    CHECK(mh::check_descriptor(&m, "tiny_module", "/x.so").find("its size field says 8 bytes") != std::string::npos);
    m.struct_size = sizeof m;
    CHECK(mh::check_descriptor(&m, "tiny_module", "/x.so").empty());
}

TEST_CASE("source_base_name")
{
    CHECK(mh::source_base_name("/a/b/mod_x.c") == "mod_x.c");
    CHECK(mh::source_base_name("mod_x.c") == "mod_x.c");
    CHECK(mh::source_base_name(nullptr).empty());
}
