"""The module developer's kit, used the way a module author uses it.

The kit is installed into a temporary prefix by meson itself (a fresh build
directory configured with --prefix, `meson install --tags devel`: the
headers, modhttpd.pc and modhttpd-module; nothing is compiled). Everything
below uses that prefix only: the examples are copied out of the tree and
built with make + pkg-config, with meson + dependency('modhttpd') and with
modhttpd-module; the modules are then loaded by the real server under
mpm_prefork, mpm_worker and `-X` (the core serving in one process, with a
stand-in MPM from tests/kit), and their answers checked. Also: every C/C++
snippet of docs/modules.md compiles, the headers compile alone in C and
C++, a module built against the frozen ABI 1.0 headers still loads and
serves, and a module claiming another ABI major is refused by name.
"""
import contextlib
import os
import re
import shutil
import stat
import subprocess
import threading
from pathlib import Path

import pytest

from harness import BINARY, BUILD, SOURCE, Server, recv_until_close, server_sanitizers

KIT = SOURCE / "tests" / "kit"
EXAMPLES = SOURCE / "examples"
GUIDE = SOURCE / "docs" / "modules.md"

MPM_FILES = {
    "prefork": BUILD / "mpm_prefork" / "mod_mpm_prefork.so",
    "worker": BUILD / "mpm_worker" / "mod_mpm_worker.so",
    "event": BUILD / "mpm_event" / "mod_mpm_event.so",
}
# "single": modhttpd -X with the stand-in MPM built from tests/kit.
MODES = ["single", "prefork", "worker", "event"]

# example directory -> (source file, module name)
EXAMPLE_MODULES = {
    "hello": ("mod_hello.c", "hello"),
    "cpp_greeting": ("mod_greeting.cpp", "greeting"),
    "echo": ("mod_echo.c", "echo"),
}

C_STANDARDS = ["c99", "c11"]
CXX_STANDARDS = ["c++11", "c++17", "c++20"]
HEADERS = ["version.h", "module.h", "api.h", "mpm.h", "modhttpd.h"]


def run(cmd, cwd=None, env=None, timeout=120, check=True):
    r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True,
                       timeout=timeout)
    if check and r.returncode != 0:
        raise AssertionError("%s failed (%d)\n--- stdout\n%s\n--- stderr\n%s" % (
            " ".join(map(str, cmd)), r.returncode, r.stdout, r.stderr))
    return r


def compilers(lang):
    names = ["gcc", "clang"] if lang == "c" else ["g++", "clang++"]
    found = [n for n in names if shutil.which(n)]
    assert found, "no %s compiler" % lang
    return found


def exported_modules(so):
    out = run(["nm", "-D", "--defined-only", so]).stdout
    # AddressSanitizer adds an "__odr_asan.<name>" twin of each global.
    return sorted(l.split()[-1] for l in out.splitlines()
                  if l.split() and l.split()[-1].endswith("_module") and not l.split()[-1].startswith("__odr_asan"))


class Kit:
    def __init__(self, prefix):
        self.prefix = Path(prefix)
        self.helper = self.prefix / "bin" / "modhttpd-module"
        self.include = self.prefix / "include"
        pcs = sorted(self.prefix.glob("lib*/**/pkgconfig/modhttpd.pc"))
        assert len(pcs) == 1, pcs
        self.pc = pcs[0]
        self.env = dict(os.environ, PKG_CONFIG_PATH=str(self.pc.parent))
        for v in ("CC", "CXX", "CFLAGS", "CXXFLAGS", "LDFLAGS", "PKG_CONFIG_LIBDIR"):
            self.env.pop(v, None)
        version = (self.include / "modhttpd" / "version.h").read_text()
        self.abi_major = int(re.search(r"#define MH_ABI_MAJOR (\d+)", version).group(1))
        self.abi_minor = int(re.search(r"#define MH_ABI_MINOR (\d+)", version).group(1))

    def module(self, *args, cwd=None, check=True, helper=None):
        return run([helper or self.helper, *args], cwd=cwd, env=self.env, check=check)

    def pkg_config(self, *args):
        return run(["pkg-config", *args, "modhttpd"], env=self.env).stdout.strip()


@pytest.fixture(scope="session")
def kit(tmp_path_factory):
    """The kit installed by meson into a fresh prefix (headers, .pc, helper)."""
    base = tmp_path_factory.mktemp("kit")
    prefix, builddir = base / "prefix", base / "build"
    run(["meson", "setup", builddir, "--prefix", prefix, "-Dtests=false"], cwd=SOURCE)
    run(["meson", "install", "-C", builddir, "--no-rebuild", "--tags", "devel"], cwd=SOURCE)
    return Kit(prefix)


@pytest.fixture(scope="session")
def built(kit, tmp_path_factory):
    """Every example and tests/kit module, built out of tree by
    modhttpd-module with warnings as errors: {name: path of mod_<name>.so}.
    In a sanitizer build of the server they get the same sanitizers (their
    runtime comes from the server binary, hence no -z defs there)."""
    out = tmp_path_factory.mktemp("built")
    sources = {name: EXAMPLES / d / src for d, (src, name) in EXAMPLE_MODULES.items()}
    sources["mpm_single"] = KIT / "mod_mpm_single.c"
    sanitize = server_sanitizers()
    extra = ["-S", "ldflags=-shared -fsanitize=%s" % sanitize, "-Wc,-fno-omit-frame-pointer",
             "-Wc,-fsanitize=%s" % sanitize.replace(",", ",-fsanitize=")] if sanitize else []
    mods = {}
    for name, src in sources.items():
        r = kit.module("-c", "-Wc,-Werror", *extra, src, cwd=out)
        assert "warning:" not in r.stdout + r.stderr
        mods[name] = out / ("mod_%s.so" % name)
    # Built against the frozen 1.0 headers: -I dirs come before the kit's own.
    r = kit.module("-c", "-I", KIT / "abi-1.0", "-Wc,-Werror", *extra, KIT / "mod_abi_probe.c", cwd=out)
    assert " -I%s -I%s " % (KIT / "abi-1.0", kit.include) in r.stdout
    mods["abi_probe"] = out / "mod_abi_probe.so"
    for name, path in mods.items():
        assert exported_modules(path) == ["%s_module" % name]
    return mods


def mpm_available(mode):
    if mode != "single" and not MPM_FILES[mode].exists():
        pytest.skip("%s is not built yet (%s)" % (mode, MPM_FILES[mode]))


def kit_server(root, mode, built, modules, config, log_level="info"):
    """A Server in `root` loading `modules` (names in `built`) the way a
    user does: the .so copied into modules/ and one LoadModule line each."""
    mpm_available(mode)
    lines = ["LoadModule %s_module modules/mod_%s.so" % (m, m) for m in modules]
    s = Server(root, mpm=mode, modules=(), config="\n".join(lines + [config]), log_level=log_level)
    if mode == "single":
        link = s.root / "modules" / "mod_mpm_single.so"
        link.unlink()
        link.symlink_to(built["mpm_single"])
    for m in modules:
        shutil.copy(built[m], s.root / "modules")
    return s


def start(s, mode):
    return s.start("-X") if mode == "single" else s.start()


def check_stopped_cleanly(s, rc):
    """What every server of this file must end with: exit status 0, no
    error in its logs, no sanitizer report (in a sanitizer build)."""
    logs = s.error_log() + s.stderr_path.read_text(errors="replace")
    assert rc == 0, logs
    assert not re.search(r"\[[\w.-]*:(error|crit|alert|emerg)\]", logs), logs
    no_sanitizer_reports(s)


def no_sanitizer_reports(s):
    reports = s.sanitizer_reports()
    assert not reports, "sanitizer reports:\n" + "\n".join(r.read_text(errors="replace") for r in reports)


@contextlib.contextmanager
def serving(s, mode):
    start(s, mode)
    try:
        yield s
    finally:
        rc = s.stop()
    check_stopped_cleanly(s, rc)


def check_config(s):
    """modhttpd -t: returns the completed process."""
    r = s.run("-t")
    no_sanitizer_reports(s)
    return r


def conf_line(s, text):
    for i, l in enumerate(s.conf.read_text().splitlines(), 1):
        if text in l:
            return i
    raise AssertionError(text)


# ---- the installed kit ---------------------------------------------------------

def test_install_puts_headers_pc_file_and_helper_in_the_prefix(kit):
    for h in HEADERS:
        assert (kit.include / "modhttpd" / h).read_bytes() == (SOURCE / "include" / "modhttpd" / h).read_bytes()
    mode = kit.helper.stat().st_mode
    assert mode & stat.S_IXUSR and mode & stat.S_IXOTH
    assert kit.pkg_config("--cflags") == "-I%s" % kit.include
    assert kit.pkg_config("--libs") == ""
    assert kit.pkg_config("--variable=modulesdir") == str(kit.prefix / "modules")
    assert kit.pkg_config("--variable=sysconfdir") == str(kit.prefix / "etc")


def test_pc_file_abi_matches_the_headers(kit):
    assert (kit.pkg_config("--variable=abi_major"), kit.pkg_config("--variable=abi_minor")) == \
        (str(kit.abi_major), str(kit.abi_minor))


@pytest.mark.parametrize("std", C_STANDARDS + CXX_STANDARDS)
def test_each_header_compiles_alone(kit, tmp_path, std):
    lang = "c++" if std.startswith("c++") else "c"
    for compiler in compilers(lang):
        for h in HEADERS:
            src = tmp_path / ("only_%s.%s" % (h[:-2], "cpp" if lang == "c++" else "c"))
            # The typedef keeps a header of only macros from being an
            # empty translation unit (which -pedantic rejects in C).
            src.write_text("#include <modhttpd/%s>\ntypedef int header_alone_check;\n" % h)
            run([compiler, "-std=" + std, "-Wall", "-Wextra", "-pedantic", "-Werror", "-fsyntax-only",
                 "-I", kit.include, src])


# ---- modhttpd-module ---------------------------------------------------------------

def test_helper_query(kit):
    r = kit.module("-q", "prefix", "INCLUDEDIR", "modulesdir", "sysconfdir", "abi", "pkgconfigdir", "config")
    assert r.stdout.splitlines() == [
        str(kit.prefix), str(kit.include), str(kit.prefix / "modules"), str(kit.prefix / "etc"),
        "%d.%d" % (kit.abi_major, kit.abi_minor), str(kit.pc.parent), str(kit.prefix / "etc" / "modhttpd.conf")]
    everything = dict(l.split("=", 1) for l in kit.module("-q").stdout.splitlines())
    assert everything["includedir"] == str(kit.include)
    assert everything["cflags"].startswith("-I%s " % kit.include)
    assert "-fvisibility=hidden" in everything["cflags"] and "-fPIC" in everything["cflags"]
    assert "-shared" in everything["ldflags"]


def test_helper_usage_and_errors(kit, tmp_path):
    r = kit.module("-h")
    assert r.stdout.startswith("Usage: modhttpd-module -c") and "-q [var]" in r.stdout
    for args, message in [
        ((), "nothing to do: give -c (compile)"),
        (("-q", "colour"), "unknown variable 'colour'"),
        (("-c", "nope.c"), "no such file: nope.c"),
        (("-c",), "-c needs at least one source file"),
        (("-c", "-n", "9lives", "x.c"), "module name '9lives' must be a C identifier"),
        (("-a",), "-a/-A go with -i (install) or -e (edit only)"),
        (("-e", "mod_x.so"), "-e edits the configuration: give -a"),
        (("-Z",), "Usage:"),
    ]:
        r = kit.module(*args, cwd=tmp_path, check=False)
        assert r.returncode == 1, (args, r.stdout, r.stderr)
        assert message in r.stderr, (args, r.stderr)


def test_helper_names_output_and_checks_the_descriptor_symbol(kit, tmp_path):
    src = tmp_path / "mod_salut.c"
    src.write_text((EXAMPLES / "hello" / "mod_hello.c").read_text().replace("hello_module", "salut_module"))
    kit.module("-s", "-c", src, cwd=tmp_path)
    assert exported_modules(tmp_path / "mod_salut.so") == ["salut_module"]
    (tmp_path / "out").mkdir()
    kit.module("-s", "-c", "-n", "salut", "-o", tmp_path / "out" / "x.so", src, cwd=tmp_path)
    assert (tmp_path / "out" / "x.so").exists()
    # Options after the files, as apxs users type them; "--" ends options.
    kit.module("-c", src, "-o", tmp_path / "out" / "y.so", "-s", cwd=tmp_path)
    assert exported_modules(tmp_path / "out" / "y.so") == ["salut_module"]
    kit.module("-s", "-o", tmp_path / "out" / "z.so", "-c", "--", src, cwd=tmp_path)
    assert (tmp_path / "out" / "z.so").exists()
    # The name decides the symbol LoadModule will ask for: a mismatch is
    # caught now, and no module file is left behind.
    r = kit.module("-s", "-c", "-n", "bonjour", src, cwd=tmp_path, check=False)
    assert r.returncode == 1
    assert "mod_bonjour.so does not export bonjour_module (it exports: salut_module)" in r.stderr
    assert not (tmp_path / "mod_bonjour.so").exists()


def test_helper_reports_compile_errors(kit, tmp_path):
    src = tmp_path / "mod_broken.c"
    src.write_text("#include <modhttpd/modhttpd.h>\nint f(void) { return undeclared; }\n")
    r = kit.module("-c", src, cwd=tmp_path, check=False)
    assert r.returncode == 1
    assert "undeclared" in r.stderr and "compiling %s failed" % src in r.stderr
    assert not (tmp_path / "mod_broken.so").exists()


def test_helper_links_c_and_cxx_sources_into_one_module(kit, built, tmp_path):
    (tmp_path / "mod_mixed.c").write_text("""
#include <modhttpd/modhttpd.h>
#include <string.h>
const char *mixed_text(void); /* in text.cpp */
static const mh_api *api;
static int handler(mh_request *r)
{
    const char *h = api->handler_name(r);
    if (h == NULL || strcmp(h, "mixed") != 0) return MH_DECLINED;
    api->puts(r, mixed_text());
    return MH_OK;
}
static void hooks(const mh_api *a, const mh_module *self) { api = a; a->hook_handler(self, handler, MH_HOOK_MIDDLE); }
MH_DECLARE_MODULE(mixed_module) = { MH_MODULE_HEADER, 0, NULL, NULL, NULL, NULL, hooks, NULL };
""")
    (tmp_path / "text.cpp").write_text("""
#include <string>
extern "C" const char *mixed_text(void)
{
    static const std::string text = std::string("from ") + "C++\\n";
    return text.c_str();
}
""")
    r = kit.module("-c", "-Wc,-Werror", "mod_mixed.c", "text.cpp", cwd=tmp_path)
    assert re.search(r"^c\+\+ -shared .*-o mod_mixed\.so ", r.stdout, re.M), r.stdout
    s = kit_server(tmp_path / "root", "single", dict(built, mixed=tmp_path / "mod_mixed.so"), ["mixed"],
                   "<Location /m>\nSetHandler mixed\n</Location>")
    with serving(s, "single"):
        assert s.get("/m")[::2] == (200, b"from C++\n")


def test_helper_works_from_a_moved_prefix(kit, tmp_path):
    moved = tmp_path / "elsewhere"
    shutil.copytree(kit.prefix, moved, symlinks=True)
    helper = moved / "bin" / "modhttpd-module"
    r = kit.module("-q", "prefix", "includedir", "modulesdir", "config", helper=helper)
    assert r.stdout.splitlines() == [str(moved), str(moved / "include"), str(moved / "modules"),
                                     str(moved / "etc" / "modhttpd.conf")]
    # Through a symlink on the PATH, as a packager would install it.
    (tmp_path / "path").mkdir()
    (tmp_path / "path" / "modhttpd-module").symlink_to(helper)
    env = dict(kit.env, PATH="%s:%s" % (tmp_path / "path", os.environ["PATH"]))
    r = run(["modhttpd-module", "-q", "includedir"], env=env)
    assert r.stdout.strip() == str(moved / "include")
    r = kit.module("-c", EXAMPLES / "hello" / "mod_hello.c", cwd=tmp_path, helper=helper)
    assert " -I%s " % (moved / "include") in r.stdout
    assert str(kit.prefix) not in r.stdout


def test_helper_installs_and_activates_like_apxs(kit, built, tmp_path):
    prefix = tmp_path / "prefix"
    shutil.copytree(kit.prefix, prefix, symlinks=True)
    (prefix / "etc").mkdir()
    conf = prefix / "etc" / "modhttpd.conf"
    shutil.copy(SOURCE / "etc" / "modhttpd.conf", conf)
    original = conf.read_text()
    helper = prefix / "bin" / "modhttpd-module"
    shutil.copy(built["hello"], tmp_path / "mod_hello.so")

    r = kit.module("-i", "mod_hello.so", cwd=tmp_path, helper=helper)
    installed = prefix / "modules" / "mod_hello.so"
    assert installed.read_bytes() == built["hello"].read_bytes()
    assert installed.stat().st_mode & 0o777 == 0o755
    assert "    LoadModule hello_module modules/mod_hello.so\n" in r.stdout
    assert conf.read_text() == original  # -i alone only says what to add

    r = kit.module("-i", "-a", "mod_hello.so", cwd=tmp_path, helper=helper)
    assert "[activating module `hello_module' in %s]" % conf in r.stdout
    lines = conf.read_text().splitlines()
    last_load = max(i for i, l in enumerate(original.splitlines()) if l.startswith("LoadModule "))
    assert lines[last_load + 1] == "LoadModule hello_module modules/mod_hello.so"
    assert len(lines) == len(original.splitlines()) + 1
    assert (prefix / "etc" / "modhttpd.conf.bak").read_text() == original

    kit.module("-i", "-a", "mod_hello.so", cwd=tmp_path, helper=helper)  # again: still one line
    assert conf.read_text().count("hello_module") == 1
    kit.module("-e", "-A", "mod_hello.so", cwd=tmp_path, helper=helper)
    assert conf.read_text().splitlines()[last_load + 1] == "#LoadModule hello_module modules/mod_hello.so"
    kit.module("-e", "-a", "-n", "hello", "mod_hello.so", cwd=tmp_path, helper=helper)
    assert conf.read_text().splitlines() == lines


# ---- the examples, built out of the tree -----------------------------------------------

def copy_example(example, tmp_path):
    dst = tmp_path / example
    shutil.copytree(EXAMPLES / example, dst)
    return dst


def loads(built, tmp_path, so, name, config=""):
    """`modhttpd -t` accepts a configuration that loads the module."""
    s = kit_server(tmp_path / "root", "single", dict(built, **{name: so}), [name], config)
    r = check_config(s)
    assert (r.returncode, r.stderr) == (0, "Syntax OK\n"), r.stderr


@pytest.mark.parametrize("example", sorted(EXAMPLE_MODULES))
def test_example_builds_with_make_and_pkg_config(kit, built, tmp_path, example):
    src, name = EXAMPLE_MODULES[example]
    d = copy_example(example, tmp_path)
    r = run(["make", "-C", d], env=kit.env)
    assert "warning:" not in r.stdout + r.stderr
    assert "-I%s" % kit.include in r.stdout
    so = d / ("mod_%s.so" % name)
    assert exported_modules(so) == ["%s_module" % name]
    run(["make", "-C", d, "install", "DESTDIR=%s" % (tmp_path / "stage")], env=kit.env)
    assert (tmp_path / "stage" / str(kit.prefix / "modules").lstrip("/") / so.name).exists()
    loads(built, tmp_path, so, name)


@pytest.mark.parametrize("example", sorted(EXAMPLE_MODULES))
def test_example_builds_with_meson_and_pkg_config(kit, built, tmp_path, example):
    src, name = EXAMPLE_MODULES[example]
    d = copy_example(example, tmp_path)
    run(["meson", "setup", tmp_path / "b", d], env=kit.env)
    r = run(["ninja", "-C", tmp_path / "b"], env=kit.env)
    assert "warning:" not in r.stdout + r.stderr
    so = tmp_path / "b" / ("mod_%s.so" % name)
    assert exported_modules(so) == ["%s_module" % name]
    loads(built, tmp_path, so, name)


@pytest.mark.parametrize("example", sorted(EXAMPLE_MODULES))
def test_example_builds_with_the_helper_and_another_compiler(kit, built, tmp_path, example):
    # The `built` fixture already compiled each with the default compiler.
    if not shutil.which("clang"):
        pytest.skip("no clang")
    src, name = EXAMPLE_MODULES[example]
    r = kit.module("-S", "cc=clang", "-S", "cxx=clang++", "-Wc,-Werror", "-c", EXAMPLES / example / src,
                   cwd=tmp_path)
    assert re.search(r"^clang(\+\+)? ", r.stdout, re.M), r.stdout
    assert "warning:" not in r.stdout + r.stderr
    so = tmp_path / ("mod_%s.so" % name)
    assert exported_modules(so) == ["%s_module" % name]
    loads(built, tmp_path, so, name)


def test_template_module_from_install_to_served(kit, built, tmp_path):
    """A developer who never saw the source: generate, build, install,
    activate, serve, with nothing but the installed prefix (moved, too)."""
    mode = "prefork" if MPM_FILES["prefork"].exists() else "single"
    prefix = tmp_path / "prefix"
    shutil.copytree(kit.prefix, prefix, symlinks=True)
    s = kit_server(prefix, mode, built, [], "")
    helper = prefix / "bin" / "modhttpd-module"
    work = tmp_path / "work"
    work.mkdir()
    r = kit.module("-g", "-n", "salute", cwd=work, helper=helper)
    assert "make -C salute" in r.stdout
    # The Makefile says what it builds with, and builds with that.
    makefile = (work / "salute" / "Makefile").read_text()
    assert "modhttpd-module" in makefile.splitlines()[0] and "(pkg-config modhttpd)" not in makefile
    env = dict(kit.env, PATH="%s:%s" % (prefix / "bin", os.environ["PATH"]))
    r = run(["make", "-C", work / "salute"], env=env)
    assert "warning:" not in r.stdout + r.stderr
    run(["make", "-C", work / "salute", "install"], env=env)
    assert (prefix / "modules" / "mod_salute.so").exists()
    kit.module("-e", "-a", work / "salute" / "mod_salute.so", helper=helper)
    conf = s.conf.read_text()
    assert conf.splitlines()[1] == "LoadModule salute_module modules/mod_salute.so"
    s.conf.write_text(conf + "<Location /salute>\n    SetHandler salute\n</Location>\n")
    assert check_config(s).stderr == "Syntax OK\n"
    with serving(s, mode):
        status, headers, body = s.get("/salute/x")
        assert (status, headers["content-type"], body) == (200, "text/plain", b"Hello from mod_salute (GET /salute/x)\n")
        assert s.get("/elsewhere")[0] == 404


# ---- the examples, served -----------------------------------------------------------------

SERVED_CONFIG = """
GreetingText "Good day"
<Location /hello>
    SetHandler hello
</Location>
<Location /greet>
    SetHandler greeting
    GreetingNames Alice Bob
</Location>
<Location /greet/loud>
    GreetingUppercase On
    GreetingRepeat 2
</Location>
<Location /greet/loud/calm>
    GreetingUppercase Off
    GreetingText Hi
    GreetingNames Carol
    GreetingNames Dave
</Location>
<Location /plain>
    SetHandler greeting
</Location>
<Location /echo>
    SetHandler echo
    LimitRequestBody 64
</Location>
<Location /probe>
    SetHandler abi-probe
    ProbeText word
</Location>
"""


@pytest.fixture(scope="module", params=MODES)
def served(request, built, tmp_path_factory):
    mode = request.param
    s = kit_server(tmp_path_factory.mktemp("served-" + mode), mode, built,
                   ["hello", "greeting", "echo", "abi_probe"], SERVED_CONFIG)
    with serving(s, mode):
        yield s


def test_hello_answers(served):
    status, headers, body = served.get("/hello/there")
    assert (status, headers["content-type"], body) == (
        200, "text/plain; charset=utf-8", b"Hello from mod_hello: GET /hello/there\n")
    status, headers, body = served.request("HEAD", "/hello")
    assert (status, headers["content-length"], body) == (200, str(len("Hello from mod_hello: HEAD /hello\n")), b"")
    assert served.get("/nothing-here")[0] == 404


GREETINGS = {
    "/greet": "Good day, Alice!\nGood day, Bob!\n",
    "/greet/sub/path": "Good day, Alice!\nGood day, Bob!\n",
    "/greet/loud": "GOOD DAY, ALICE!\nGOOD DAY, BOB!\n" * 2,
    "/greet/loud/calm": "Hi, Carol!\nHi, Dave!\n" * 2,
    "/plain": "Good day, world!\n",
}


def test_greeting_directives_merge_inner_over_outer(served):
    for path, text in GREETINGS.items():
        status, headers, body = served.get(path)
        assert (path, status, body.decode()) == (path, 200, text)
        assert headers["content-length"] == str(len(text))


def test_greeting_under_concurrent_requests(served):
    results, errors = [], []

    def client():
        try:
            for path in GREETINGS:
                results.append((path, served.get(path)[2].decode()))
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=client) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    assert len(results) == 8 * len(GREETINGS)
    assert all(GREETINGS[p] == body for p, body in results)


def response_body(raw):
    head, _, body = raw.partition(b"\r\n\r\n")
    return head.decode(), body


def test_echo_returns_the_body(served):
    payload = bytes(range(256)) * 3
    status, headers, body = served.request("POST", "/echo", body=payload[:64],
                                           headers={"Content-Type": "application/x-test"})
    assert (status, headers["content-type"], headers["x-echo-length"], body) == (
        200, "application/x-test", "64", payload[:64])
    status, headers, body = served.request("PUT", "/echo", body=b"", headers={"Content-Length": "0"})
    assert (status, headers["content-type"], body) == (200, "application/octet-stream", b"")
    status, headers, _ = served.get("/echo")
    assert (status, headers["allow"]) == (405, "POST, PUT")


def test_echo_reads_a_chunked_body(served):
    raw = served.raw(b"POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
                     b"5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n")
    head, body = response_body(raw)
    assert head.startswith("HTTP/1.1 200 ") and "X-Echo-Length: 12" in head, head
    assert body == b"hello, world"


def test_echo_with_expect_100_continue(served):
    with served.connect() as c:
        c.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 4\r\n"
                  b"Expect: 100-continue\r\n\r\n")
        c.settimeout(5)
        interim = c.recv(100)
        assert interim == b"HTTP/1.1 100 Continue\r\n\r\n"
        c.sendall(b"ping")
        data = recv_until_close(c)
    head, body = response_body(data)
    assert head.startswith("HTTP/1.1 200 ") and body == b"ping"


def test_echo_over_limit_request_body_is_413(served):
    status, _, body = served.request("POST", "/echo", body=b"x" * 65)
    assert status == 413 and b"Content Too Large" in body
    # Announced too large: refused before the body is asked for.
    raw = served.raw(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n"
                     b"Expect: 100-continue\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 413 "), raw[:100]
    assert b"100 Continue" not in raw
    # Chunked: the limit applies to what arrives.
    chunk = b"x" * 40
    raw = served.raw(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" +
                     (b"28\r\n" + chunk + b"\r\n") * 2 + b"0\r\n\r\n")
    assert raw.startswith(b"HTTP/1.1 413 "), raw[:100]
    # Exactly at the limit is fine.
    status, _, body = served.request("POST", "/echo", body=b"y" * 64)
    assert (status, body) == (200, b"y" * 64)


def test_module_built_against_abi_1_0_loads_and_serves(served, kit):
    line = conf_line(served, "ProbeText word")
    status, _, body = served.get("/probe")
    assert status == 200
    assert body.decode().splitlines() == [
        "built 1.0", "server %d.%d" % (kit.abi_major, kit.abi_minor), "at_least_1_0 1", "has_mpm 1",
        "text word line %d" % line]


# ---- ABI versions ------------------------------------------------------------------------

def test_abi_snapshot_is_the_1_0_headers():
    snap = KIT / "abi-1.0" / "modhttpd"
    version = (snap / "version.h").read_text()
    assert "#define MH_ABI_MAJOR 1\n" in version and "#define MH_ABI_MINOR 0\n" in version
    assert sorted(p.name for p in snap.iterdir()) == sorted(HEADERS)
    if shutil.which("git") is None or not (SOURCE / ".git").exists():
        return
    first = run(["git", "-C", SOURCE, "log", "--diff-filter=A", "--format=%H", "--",
                 "include/modhttpd/version.h"]).stdout.split()
    assert first, "no commit added include/modhttpd/version.h"
    for h in HEADERS:
        frozen = run(["git", "-C", SOURCE, "show", "%s:include/modhttpd/%s" % (first[-1], h)]).stdout
        assert (snap / h).read_text() == frozen, h


def test_abi_1_0_layout_is_unchanged_in_the_installed_headers(kit, tmp_path):
    outputs = []
    for name, include in (("frozen", KIT / "abi-1.0"), ("installed", kit.include)):
        exe = tmp_path / name
        run(["gcc", "-std=c99", "-pedantic", "-Wall", "-Wextra", "-Werror", "-I", include,
             KIT / "abi_layout.c", "-o", exe])
        outputs.append(run([exe]).stdout.splitlines())
    frozen, installed = outputs
    assert len(frozen) > 150
    moved = [(a, b) for a, b in zip(frozen, installed) if a != b]
    assert not moved, "ABI 1.0 layout changed:\n" + "\n".join("%s -> %s" % m for m in moved)


def test_module_for_another_abi_major_is_refused_naming_both(kit, built, tmp_path):
    (tmp_path / "b").mkdir()
    kit.module("-s", "-c", KIT / "mod_forged.c", cwd=tmp_path / "b")
    s = kit_server(tmp_path / "root", "single", dict(built, forged=tmp_path / "b" / "mod_forged.so"),
                   ["forged"], "")
    r = check_config(s)
    line = conf_line(s, "LoadModule forged_module")
    assert r.returncode == 1
    assert r.stderr.startswith("modhttpd: Syntax error on line %d of %s: " % (line, s.conf)), r.stderr
    assert 'Module "mod_forged.c" (forged_module in ' in r.stderr
    assert "is not compatible with this version of modhttpd (module built for ABI %d.%d, this server has ABI %d.%d)" % (
        kit.abi_major + 1, kit.abi_minor, kit.abi_major, kit.abi_minor) in r.stderr


def test_directive_errors_of_a_module_are_reported_with_file_and_line(built, tmp_path):
    cases = [
        ("GreetingRepeat 0", "GreetingRepeat must be a number from 1 to 10, not '0'"),
        ("GreetingRepeat many", "GreetingRepeat must be a number from 1 to 10, not 'many'"),
        ("GreetingUppercase maybe", "GreetingUppercase must be On or Off"),
        ("GreetingText", 'GreetingText takes one argument, the greeting, e.g. "Hello"'),
        ("GreetingNames", "GreetingNames requires at least one argument, one or more names to greet"),
    ]
    for i, (line, message) in enumerate(cases):
        s = kit_server(tmp_path / ("r%d" % i), "single", built, ["greeting"], line)
        r = check_config(s)
        assert r.returncode == 1
        assert r.stderr == "modhttpd: Syntax error on line %d of %s: %s\n" % (conf_line(s, line), s.conf, message)


# ---- docs/modules.md ---------------------------------------------------------------------

MARKER = re.compile(r"^<!-- compile: (c|c\+\+)((?: [a-z]+(?:=[a-z_0-9]+)?)*) -->$")
PRELUDE = """#include <modhttpd/modhttpd.h>
#include <string.h>
static const mh_api *api;
MH_DECLARE_MODULE(example_module);
"""


def guide_snippets():
    """[(line, lang, options, code)] for every ```c / ```cpp block; a block
    without its marker on the line before is an error."""
    lines = GUIDE.read_text().splitlines()
    out, unmarked = [], []
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\w[\w+]*)?\s*$", lines[i])
        if not m or m.group(1) is None:
            i += 1
            continue
        lang = m.group(1)
        end = i + 1
        while not lines[end].startswith("```"):
            end += 1
        if lang in ("c", "cpp", "c++"):
            marker = MARKER.match(lines[i - 1]) if i > 0 else None
            if marker is None:
                unmarked.append(i + 1)
            else:
                opts = dict((o.split("=") + [""])[:2] for o in marker.group(2).split())
                expect = "c" if lang == "c" else "c++"
                assert marker.group(1) == expect, "line %d: ```%s block marked %s" % (i + 1, lang, marker.group(1))
                out.append((i + 2, expect, opts, "\n".join(lines[i + 1:end]) + "\n"))
        i = end + 1
    assert not unmarked, "C/C++ blocks without a <!-- compile: ... --> marker at lines %s" % unmarked
    return out


def test_docs_name_the_abi_the_server_has():
    # A version written in the docs goes stale with the next bump: each one
    # must be what `modhttpd -V` says.
    v = subprocess.run([str(BINARY), "-V"], capture_output=True, text=True).stdout
    have = re.search(r"Module ABI: +(\d+\.\d+)", v).group(1)
    for doc in [GUIDE, SOURCE / "README.md", *sorted((SOURCE / "docs").glob("*.md"))]:
        for m in re.finditer(r"Module ABI: +(\d+\.\d+)", doc.read_text()):
            assert m.group(1) == have, "%s says Module ABI: %s, the server has %s" % (doc, m.group(1), have)


def test_guide_snippets_compile(kit, built, tmp_path):
    snippets = guide_snippets()
    assert len(snippets) >= 10
    failures = []
    for line, lang, opts, code in snippets:
        unknown = set(opts) - {"fragment", "module"}
        assert not unknown, "line %d: unknown marker option(s) %s" % (line, unknown)
        ext = "c" if lang == "c" else "cpp"
        src = tmp_path / ("snippet_%d.%s" % (line, ext))
        flags = ["-std=c99" if lang == "c" else "-std=c++17", "-pedantic", "-Wall", "-Wextra", "-Werror",
                 "-fPIC", "-fvisibility=hidden", "-I", kit.include]
        if "fragment" in opts:
            code = PRELUDE + '#line %d "docs/modules.md"\n' % line + code
            flags += ["-Wno-unused-function", "-Wno-unused-variable"]
        else:
            code = '#line %d "docs/modules.md"\n' % line + code
        src.write_text(code)
        compiler = "gcc" if lang == "c" else "g++"
        r = run([compiler, *flags, "-c", src, "-o", tmp_path / ("snippet_%d.o" % line)], check=False)
        if r.returncode != 0:
            failures.append("docs/modules.md:%d (%s):\n%s" % (line, lang, r.stderr))
            continue
        if "module" in opts:
            name = opts["module"]
            d = tmp_path / ("module_%d" % line)
            d.mkdir()
            r = kit.module("-s", "-c", "-n", name, "-Wc,-Werror", src, cwd=d, check=False)
            if r.returncode != 0:
                failures.append("docs/modules.md:%d: modhttpd-module -c -n %s:\n%s" % (line, name, r.stderr))
                continue
            s = kit_server(tmp_path / ("root_%d" % line), "single",
                           dict(built, **{name: d / ("mod_%s.so" % name)}), [name], "")
            r = check_config(s)
            if r.returncode != 0:
                failures.append("docs/modules.md:%d: LoadModule %s_module: %s" % (line, name, r.stderr))
    assert not failures, "\n".join(failures)
