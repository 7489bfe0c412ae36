"""_events.py: print one field of every JSON Lines event (helper of the CLI tests).

usage: python3 _events.py FIELD FILE   (null prints as "null"; a bad line as "BAD")
"""
import json
import sys


def main():
    name, path = sys.argv[1], sys.argv[2]
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            try:
                ev = json.loads(line)
            except ValueError:
                print("BAD")
                continue
            v = ev.get(name) if isinstance(ev, dict) else None
            print("null" if v is None else v)


if __name__ == "__main__":
    main()
