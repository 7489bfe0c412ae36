"""golden.py: golden tests of `dyad code` (runner; the cases are in tests/golden/cases).

usage: python3 golden.py cases DYAD CASES_DIR
       python3 golden.py seeds DYAD SEEDS_DIR GOLD.jsonl

cases: each case folder holds input.txt or input.jsonl, an optional `args`
file (extra arguments, shell words), an optional `status` file (the expected
exit status, default 0) and expected.jsonl. The command runs inside the case
folder; the case passes when the events, projected to doc, sentence, date,
source, target and code, are the same set as the expected ones.

seeds: every line of GOLD names a seed (doc), the events it must yield
(source, target, root, date) and optionally "args". Each seed passes when
every expected event is found; extra events are allowed (recall on the gold).
Prints `ok NAME` or `not ok NAME` per case.
"""
import collections
import json
import os
import shlex
import subprocess
import sys

FIELDS = ("doc", "sentence", "date", "source", "target", "code")
TIMEOUT = 300


def strip_ext(doc):
    """Doc ids are compared without the file extension (a.txt ~ a)."""
    if isinstance(doc, str):
        base, ext = os.path.splitext(doc)
        if ext in (".txt", ".jsonl", ".ndjson"):
            return base
    return doc


def run_dyad(dyad, args, cwd):
    try:
        p = subprocess.run([dyad, "code"] + args, cwd=cwd,
                           capture_output=True, timeout=TIMEOUT)
    except OSError as e:  # no binary: every case fails, with the reason
        return 127, [], [], str(e)
    events, bad = [], []
    for line in p.stdout.decode("utf-8", "replace").splitlines():
        if not line.strip():
            continue
        try:
            events.append(json.loads(line))
        except ValueError:
            bad.append(line)
    return p.returncode, events, bad, p.stderr.decode("utf-8", "replace")


def project(ev):
    return tuple(strip_ext(ev.get(f)) if f == "doc" else ev.get(f)
                 for f in FIELDS)


def show(t):
    return json.dumps(dict(zip(FIELDS, t)))


def read_jsonl(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except ValueError as e:
                    sys.exit("%s:%d: %s" % (path, n, e))
    return out


def run_case(dyad, case):
    name = "golden/" + os.path.basename(case)
    inp = next((i for i in ("input.txt", "input.jsonl")
                if os.path.exists(os.path.join(case, i))), None)
    if inp is None:
        print("not ok %s\n#   no input.txt or input.jsonl" % name)
        return False
    args = []
    if os.path.exists(os.path.join(case, "args")):
        with open(os.path.join(case, "args"), encoding="utf-8") as f:
            args = shlex.split(f.read(), comments=True)
    want_status = 0
    if os.path.exists(os.path.join(case, "status")):
        with open(os.path.join(case, "status"), encoding="utf-8") as f:
            want_status = int(f.read().strip())
    expected = collections.Counter(
        project(e) for e in read_jsonl(os.path.join(case, "expected.jsonl")))
    try:
        rc, events, bad, err = run_dyad(dyad, args + [inp], case)
    except subprocess.TimeoutExpired:
        print("not ok %s\n#   timed out after %ds" % (name, TIMEOUT))
        return False
    got = collections.Counter(project(e) for e in events)
    problems = []
    if rc != want_status:
        problems.append("exit status %d, expected %d" % (rc, want_status))
    if bad:
        problems.append("%d output lines are not JSON: %s" % (len(bad), bad[0][:200]))
    for t in sorted((expected - got).elements(), key=str):
        problems.append("- " + show(t))
    for t in sorted((got - expected).elements(), key=str):
        problems.append("+ " + show(t))
    if "runtime error" in err or "Sanitizer" in err:
        problems.append("sanitizer report on stderr")
    if problems:
        print("not ok %s" % name)
        print("#   (- expected but missing, + produced but not expected)")
        for p in problems:
            print("#   " + p)
        for line in err.splitlines()[:20]:
            print("#   stderr: " + line)
        return False
    print("ok %s" % name)
    return True


def cmd_cases(dyad, cases_dir):
    ok = True
    for c in sorted(os.listdir(cases_dir)):
        path = os.path.join(cases_dir, c)
        if os.path.isdir(path):
            ok = run_case(dyad, path) and ok
    return ok


def root_of(ev):
    r = ev.get("root")
    if r:
        return r
    code = ev.get("code") or ""
    return code[:2]


def cmd_seeds(dyad, seeds_dir, gold_path):
    gold = collections.OrderedDict()
    args = {}
    for g in read_jsonl(gold_path):
        gold.setdefault(g["doc"], []).append(
            (g["source"], g["target"], g["root"], g["date"]))
        args[g["doc"]] = g.get("args", [])
    ok = True
    for doc, want in gold.items():
        name = "seeds/" + doc
        path = os.path.join(seeds_dir, doc + ".txt")
        try:
            rc, events, bad, err = run_dyad(dyad, args[doc] + [path], None)
        except subprocess.TimeoutExpired:
            print("not ok %s\n#   timed out" % name)
            ok = False
            continue
        got = {(e.get("source"), e.get("target"), root_of(e), e.get("date"))
               for e in events}
        missing = [w for w in want if w not in got]
        if missing or rc != 0 or bad:
            ok = False
            print("not ok %s" % name)
            if rc != 0:
                print("#   exit status %d" % rc)
            for m in missing:
                print("#   missing %s -> %s root %s on %s" % m)
            for e in events:
                print("#   got %s -> %s %s %s: %s" % (
                    e.get("source"), e.get("target"), e.get("code"),
                    e.get("date"), (e.get("text") or "")[:100]))
            for line in err.splitlines()[:10]:
                print("#   stderr: " + line)
        else:
            print("ok %s (%d expected, %d events)" % (name, len(want), len(events)))
    return ok


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "cases":
        ok = cmd_cases(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 5 and sys.argv[1] == "seeds":
        ok = cmd_seeds(sys.argv[2], sys.argv[3], sys.argv[4])
    else:
        sys.exit(__doc__)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
