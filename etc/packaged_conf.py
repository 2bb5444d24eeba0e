#!/usr/bin/env python3
"""Writes the shipped modhttpd.conf with the paths of a distribution
package (meson -Dinstall_layout=fhs): modules, site, logs and PidFile where that
layout puts them, port 80, children as www-data.

    packaged_conf.py IN OUT SERVER_ROOT MODULES_DIR HTDOCS_DIR LOG_DIR RUN_DIR

Every replacement must match the shipped file: an edit of etc/modhttpd.conf
that one no longer fits fails the build instead of shipping a wrong file.
"""
import re
import sys


def main(argv):
    src, out, server_root, modules, htdocs, logs, run = argv[1:8]
    text = open(src, encoding="utf-8").read()
    rules = [
        (r'^#ServerRoot ".*"$', '#ServerRoot "%s"' % server_root),
        (r"^Listen 8080$", "Listen 80"),
        (r"^(#?LoadModule \S+) modules/", r"\1 %s/" % modules),
        (r"^<IfDefine RUN_AS_NOBODY>\n\s+User nobody\n\s+Group nogroup\n</IfDefine>$",
         "User www-data\nGroup www-data"),
        (r"^# master has bound the ports\. Started as another user, these are ignored\.$",
         "# master has bound the ports (Debian's web server user). Started as\n"
         "# another user, these are ignored."),
        (r"^ServerName 127\.0\.0\.1:8080$", "#ServerName www.example.com:80"),
        (r'^DocumentRoot "htdocs"$', 'DocumentRoot "%s"' % htdocs),
        (r'^<Directory "htdocs">$', '<Directory "%s">' % htdocs),
        (r'^ErrorLog "logs/', 'ErrorLog "%s/' % logs),
        (r'^CustomLog "logs/', 'CustomLog "%s/' % logs),
        (r'^PidFile "logs/', 'PidFile "%s/' % run),
        (r'^TypesConfig "etc/', 'TypesConfig "'),
        (r'^IncludeOptional "etc/', 'IncludeOptional "'),
        (r"^# More configuration files: every \*\.conf in etc/conf\.d",
         "# More configuration files: every *.conf in %s/conf.d" % server_root),
    ]
    for pattern, replacement in rules:
        text, n = re.subn(pattern, replacement, text, flags=re.M)
        if n == 0:
            sys.exit("%s: no line matches %r: update etc/packaged_conf.py" % (src, pattern))
    with open(out, "w", encoding="utf-8") as f:
        f.write(text)


if __name__ == "__main__":
    main(sys.argv)
