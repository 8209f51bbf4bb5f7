#!/usr/bin/env python3
"""Checks the include direction of DESIGN.md §2 and where third-party
libraries may be used. Prints each violation as 'file:line: rule' and exits
1 if there is any; prints a one-line summary otherwise.

Allowed (component -> components it may include):
  proofs -> (nothing of ours)    verifier -> proofs
  sdk -> proofs, verifier        log -> proofs, verifier
  runner -> proofs, sdk          (log and runner never include each other)
"""
import re
import sys
from pathlib import Path

ALLOWED = {
    "proofs": {"proofs"},
    "verifier": {"proofs", "verifier"},
    "sdk": {"proofs", "verifier", "sdk"},
    "log": {"proofs", "verifier", "log"},
    "runner": {"proofs", "sdk", "runner"},
}
# verun/result.h and verun/error_code.h (and error_codes/) belong to proofs.
PROOFS_TOP = {"result.h", "error_code.h", "error_codes"}
# Third-party headers and the folders allowed to include them.
THIRD_PARTY = [
    (re.compile(r"^openssl/"), ("proofs/",), "OpenSSL is used only inside proofs/"),
    (re.compile(r"^sqlite3\.h$"), ("log/src/store/",), "SQLite is used only in log/src/store/"),
    (re.compile(r"^cbor(\.h$|/)"), ("proofs/src/evidence/nitro/",), "libcbor is used only in proofs/src/evidence/nitro/"),
    (re.compile(r"^(libpq-fe\.h|postgresql/)"), ("log/src/store/",), "libpq is used only in log/src/store/"),
    (re.compile(r"^httplib\.h$"), ("log/src/http/", "log/src/witness/", "log/cmd/", "runner/src/http/", "runner/cmd/", "sdk/src/"),
     "cpp-httplib is used only by the HTTP folders of log and runner and by sdk/src"),
]
INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]([^>"]+)[>"]')


def component_of_include(path: str):
    parts = path.split("/")
    if len(parts) >= 2 and parts[0] == "verun":
        if parts[1] in PROOFS_TOP:
            return "proofs"
        if parts[1] in ALLOWED:
            return parts[1]
    return None


def main() -> int:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else ".").resolve()
    problems = []
    files = 0
    for comp in ALLOWED:
        base = root / comp
        if not base.is_dir():
            continue
        for f in sorted(base.rglob("*")):
            if f.suffix not in {".h", ".cc", ".hpp", ".cpp"}:
                continue
            files += 1
            rel = f.relative_to(root).as_posix()
            for n, line in enumerate(f.read_text(errors="replace").splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                inc = m.group(1)
                target = component_of_include(inc)
                if target and target not in ALLOWED[comp]:
                    problems.append(f"{rel}:{n}: {comp} must not include {target} ({inc})")
                for pattern, allowed_dirs, rule in THIRD_PARTY:
                    if pattern.search(inc) and not rel.startswith(allowed_dirs):
                        problems.append(f"{rel}:{n}: {rule} ({inc})")
    for p in problems:
        print(p)
    print(f"check_deps: {files} files, {len(problems)} violations")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
