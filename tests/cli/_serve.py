"""_serve.py: checks of `dyad serve` against what the other commands say
(helper of tests/cli/serve.sh; standard library only).

usage: python3 _serve.py CHECK URL [ARGS...]; exit status 0 when the check
holds, else 1 with the reason on standard output.
"""
import json
import re
import socket
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

TIMEOUT = 20  # seconds for one request (generous: an ASan build)


class Fail(Exception):
    pass


def expect(cond, msg):
    if not cond:
        raise Fail(msg)


def request(url, data=None, headers=None, method=None):
    """(status, headers, body bytes) of one request; errors are replies too."""
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def get_json(url):
    status, _, body = request(url)
    expect(status == 200, f"GET {url}: status {status}: {body[:300]!r}")
    return json.loads(body)


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def span_text(text, span):
    b = text.encode("utf-8")
    off, n = span
    expect(0 <= off and off + n <= len(b), f"span {span} outside the text {text!r}")
    return b[off:off + n].decode("utf-8")


def check_spans(e, need=True):
    """The source and target spans point at the actor's words."""
    seen = 0
    for side in ("source", "target"):
        sp = e.get(side + "_span")
        if sp is None:
            continue
        seen += 1
        expect(span_text(e["text"], sp) == e[side + "_name"],
               f"{side}_span {sp} gives {span_text(e['text'], sp)!r}, not {e[side + '_name']!r}")
    if e.get("verb_span") is not None:
        span_text(e["text"], e["verb_span"])
    expect(seen == 2 or not need, f"event without spans: {e}")


def pages(url, ref_path, query):
    """Walking the pages of a query gives the events of `dyad events`."""
    ref = [e["id"] for e in read_jsonl(ref_path)]
    got, offset, limit = [], 0, 7
    while True:
        sep = "&" if query else ""
        page = get_json(f"{url}api/events?{query}{sep}limit={limit}&offset={offset}")
        expect(page["total"] == len(ref), f"total {page['total']}, dyad events has {len(ref)}")
        expect(page["limit"] == limit and page["offset"] == offset, f"page echo {page['limit']} {page['offset']}")
        expect(len(page["events"]) == max(0, min(limit, len(ref) - offset)), f"page at {offset}: {len(page['events'])} events")
        for e in page["events"]:
            expect("code_name" in e and "source_span" in e and "verb_span" in e, f"fields missing: {sorted(e)}")
            expect("mentions" not in e, "a page's events carry no mentions")
            check_spans(e, need=False)
        got += [e["id"] for e in page["events"]]
        offset += limit
        if offset >= len(ref) + limit:
            break
    expect(got == ref, f"ids differ: {got[:5]} vs {ref[:5]} ({len(got)} vs {len(ref)})")
    expect(len(ref) > 0 or query, "no events at all")


def same_event_fields(url, ref_path):
    """The first page's events have every field of `dyad events`, same values."""
    ref = read_jsonl(ref_path)
    page = get_json(f"{url}api/events?limit=1000")
    expect(len(page["events"]) == len(ref), "not every event")
    for a, b in zip(page["events"], ref):
        b = dict(b)
        b.pop("mentions")
        for k, v in b.items():
            expect(a.get(k) == v, f"event {b['id']}: {k} is {a.get(k)!r}, dyad events says {v!r}")


def doc_filter(url, ref_path, doc):
    ref = [e["id"] for e in read_jsonl(ref_path) if any(m["doc"] == doc for m in e["mentions"])]
    page = get_json(f"{url}api/events?doc={urllib.parse.quote(doc)}&limit=1000")
    expect([e["id"] for e in page["events"]] == ref and page["total"] == len(ref) > 0,
           f"doc={doc}: {page['total']} events, expected {len(ref)}")


def merged(url, s001, s004):
    """Seeds 001 and 004 report one Putin-Xi call: one event, two articles,
    four mentions whose spans point at the actors' words."""
    page = get_json(f"{url}api/events?dyad=RUS:CHN&code=041")
    two = [e for e in page["events"] if e["num_articles"] == 2]
    expect(len(two) == 1, f"events of 2 articles: {len(two)} of {page['total']}")
    e = two[0]
    expect({e["source"], e["target"]} == {"RUSGOV", "CHNGOV"}, f"actors {e['source']} {e['target']}")
    expect(e["code_name"] == "Discuss by telephone", f"code_name {e['code_name']!r}")
    one = get_json(f"{url}api/events/{e['id']}")
    expect(one["id"] == e["id"] and one["num_articles"] == 2, "event by id differs")
    ms = one["mentions"]
    expect(len(ms) == one["num_mentions"] == 4, f"{len(ms)} mentions")
    expect({m["doc"] for m in ms} == {s001, s004}, f"docs {sorted({m['doc'] for m in ms})}")
    for m in ms:
        for k in ("doc", "sentence", "date", "source", "target", "code", "source_name",
                  "target_name", "text", "pattern", "publisher", "url", "source_span",
                  "target_span", "verb_span"):
            expect(k in m, f"mention without {k}")
        check_spans(m)
    check_spans(one)


def event_errors(url):
    status, _, body = request(f"{url}api/events/1")
    expect(status == 404 and b"error" in body, f"missing id: {status} {body!r}")
    status, _, body = request(f"{url}api/events/abc")
    expect(status == 400 and b"id" in body, f"bad id: {status} {body!r}")
    status, _, body = request(f"{url}api/events/1?x=1")
    expect(status == 400 and b"'x'" in body, f"param on event: {status} {body!r}")


def dyads(url, stats_csv):
    want = {}
    with open(stats_csv, encoding="utf-8") as f:
        next(f)
        for line in f:
            table, key, events, mentions, gsum = line.rstrip("\n").split(",")
            if table == "dyad":
                want[key] = (int(events), int(mentions), float(gsum))
    got = get_json(f"{url}api/dyads?limit=1000")["dyads"]
    expect(len(got) == len(want), f"{len(got)} dyads, dyad stats has {len(want)}")
    counts = [d["events"] for d in got]
    expect(counts == sorted(counts, reverse=True), "not most events first")
    for d in got:
        w = want.get(f"{d['source']}:{d['target']}")
        expect(w is not None, f"dyad {d['source']}:{d['target']} unknown to dyad stats")
        expect((d["events"], d["mentions"]) == w[:2] and abs(d["goldstein_sum"] - w[2]) < 0.06,
               f"{d} vs {w}")
        expect(abs(d["goldstein_mean"] - d["goldstein_sum"] / d["events"]) < 0.001, f"mean {d}")
    top = get_json(f"{url}api/dyads?limit=1")["dyads"]
    expect(len(top) == 1 and top[0] == got[0], "limit=1")
    rus = get_json(f"{url}api/dyads?actor=RUS&limit=1000")["dyads"]
    expect(rus and all("RUS" in (d["source"], d["target"]) for d in rus), "actor filter on dyads")


def dyads_as_filters(url):
    """Every dyad /api/dyads returns, actors without a country (---GOV)
    included, works as a dyad= and actor= filter and finds its events."""
    got = get_json(f"{url}api/dyads?limit=1000")["dyads"]
    expect(any(d["source"].startswith("-") or d["target"].startswith("-") for d in got),
           "no dyad with an actor without a country in the store")
    for d in got:
        q = urllib.parse.quote(f"{d['source']}:{d['target']}")
        sub = get_json(f"{url}api/dyads?dyad={q}&limit=1000")["dyads"]
        same = [x for x in sub if (x["source"], x["target"]) == (d["source"], d["target"])]
        expect(same and same[0]["events"] == d["events"], f"dyad={q}: {sub}")
        page = get_json(f"{url}api/events?dyad={q}&limit=1")
        expect(page["total"] >= d["events"], f"events?dyad={q}: {page['total']} < {d['events']}")
        for actor in (d["source"], d["target"]):
            a = urllib.parse.quote(actor)
            sub = get_json(f"{url}api/dyads?actor={a}&limit=1000")["dyads"]
            expect(any((x["source"], x["target"]) == (d["source"], d["target"])
                       and x["events"] == d["events"] for x in sub), f"actor={a}")


def timeline(url, ref_path):
    ref = read_jsonl(ref_path)
    days = get_json(f"{url}api/timeline")["days"]
    dates = [d["date"] for d in days]
    expect(dates == sorted(set(dates)), "days not in order")
    by = {}
    for e in ref:
        if e["date"]:
            by.setdefault(e["date"], []).append(e)
    expect(set(dates) == set(by), f"dates {dates} vs {sorted(by)}")
    for d in days:
        evs = by[d["date"]]
        expect(d["events"] == len(evs), f"{d['date']}: {d['events']} events, expected {len(evs)}")
        for q in "1234":
            expect(d["quad"][q] == sum(1 for e in evs if str(e["quad"]) == q), f"{d['date']} quad {q}")
        g = sum(e["goldstein"] or 0 for e in evs)
        expect(abs(d["goldstein_sum"] - g) < 0.06, f"{d['date']} goldstein {d['goldstein_sum']} vs {g}")
    one = get_json(f"{url}api/timeline?dyad=RUS:CHN&since=2021-08-25&until=2021-08-25")["days"]
    expect(len(one) == 1 and one[0]["date"] == "2021-08-25", f"filtered timeline {one}")


def search(url, doc):
    arts = get_json(f"{url}api/search?q=Putin+Xi")["articles"]
    expect(doc in [a["id"] for a in arts], f"{doc} not found: {arts}")
    for a in arts:
        expect(set(a) == {"id", "date", "title", "source", "url"}, f"fields {sorted(a)}")
    expect(len(get_json(f"{url}api/search?q=Putin&limit=1")["articles"]) == 1, "limit=1")
    for q, what in (('"unclosed', "q"), ("", "q")):
        status, _, body = request(f"{url}api/search?q={urllib.parse.quote(q)}")
        expect(status == 400 and what.encode() in body, f"q={q!r}: {status} {body!r}")
    status, _, body = request(f"{url}api/search")
    expect(status == 400 and b"q" in body, f"no q: {status} {body!r}")


def strip_extras(e):
    e = dict(e)
    for k in ("code_name", "source_span", "target_span", "verb_span"):
        expect(k in e, f"no {k}")
        e.pop(k)
    return e


def code(url, path, ref_path):
    """POST /api/code gives the events of `dyad code` for the article."""
    ref = read_jsonl(ref_path)
    expect(ref, "dyad code found no events")
    raw = open(path, encoding="utf-8").read()
    m = re.match(r"\s*date[ \t]+(\S+)\s*", raw)  # as dyad code reads it
    expect(m, "the seed starts with its date")
    date, rest = m.group(1), raw[m.end():]
    doc = path.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    body = json.dumps({"text": rest, "date": date, "id": doc}).encode()
    status, hdr, out = request(f"{url}api/code", body, {"Content-Type": "application/json"})
    expect(status == 200, f"JSON: {status} {out[:300]!r}")
    got = json.loads(out)
    # the article's date (a dateline may move it) and its sentences
    expect(got["date"][:8] == date[:8] and got["sentences"] > 5, f"date/sentences {got['date']} {got['sentences']}")
    expect([strip_extras(e) for e in got["events"]] == ref, "JSON body: events differ from dyad code")
    for e in got["events"]:
        check_spans(e)
    status, hdr, out = request(f"{url}api/code", raw.encode(), {"Content-Type": "text/plain; charset=utf-8"})
    expect(status == 200, f"text/plain: {status} {out[:300]!r}")
    plain = json.loads(out)["events"]
    expect([dict(strip_extras(e), doc=doc) for e in plain] == ref, "text/plain body: events differ")


def code_errors(url):
    cases = [
        (b'{"text": "x",', "application/json", 400, b"malformed JSON"),
        (b'[1, 2]', "application/json", 400, b"object"),
        (b'{"text": "Putin met Xi.", "when": 1}', "application/json", 400, b"'when'"),
        (b'{"text": 5}', "application/json", 400, b"text"),
        (b'{"text": "Putin met Xi.", "date": "2021-02-30"}', "application/json", 400, b"date"),
        (b'{"date": "2021-02-03"}', "application/json", 400, b"text"),
        (b"date 2021-13-01\nPutin met Xi.", "text/plain", 400, b"date"),
        (b"Putin met Xi.", "application/x-www-form-urlencoded", 415, b"Content-Type"),
    ]
    for body, ctype, want, word in cases:
        status, _, out = request(f"{url}api/code", body, {"Content-Type": ctype})
        expect(status == want and word in out, f"{body!r}: {status} {out!r}")
    status, hdr, out = request(f"{url}api/code", None, method="GET")
    expect(status == 405 and "POST" in (hdr.get("Allow") or ""), f"GET /api/code: {status}")
    # Over 1 MB: refused from the Content-Length, before the body is read.
    host, port = host_port(url)
    line = raw_exchange(host, port, b"POST /api/code HTTP/1.1\r\nHost: x\r\n"
                        b"Content-Type: text/plain\r\nContent-Length: 1048577\r\n\r\n")
    expect(" 413 " in line, f"1 MB + 1: {line!r}")
    # A chunked body has no length: counted as it comes, 413 past 1 MB.
    chunk = b"a" * 65536
    body = (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 17 + b"0\r\n\r\n"
    try:
        line = raw_exchange(host, port, b"POST /api/code HTTP/1.1\r\nHost: x\r\n"
                            b"Content-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n" + body)
    except (ConnectionResetError, BrokenPipeError):
        line = "closed"
    expect(" 413 " in line or line == "closed", f"chunked 1.1 MB: {line!r}")
    status, _, out = request(f"{url}api/code", b"x" * (1024 * 1024 - 64) + b" Putin met Xi.",
                             {"Content-Type": "text/plain"})
    expect(status == 200, f"just under 1 MB: {status} {out[:200]!r}")


def csv_page(url, ref_csv):
    status, hdr, body = request(f"{url}api/events?format=csv&limit=1000")
    expect(status == 200, f"status {status}")
    expect(hdr.get("Content-Type", "").startswith("text/csv"), f"type {hdr.get('Content-Type')}")
    disp = hdr.get("Content-Disposition", "")
    expect("attachment" in disp and "dyad-events.csv" in disp, f"disposition {disp!r}")
    want = open(ref_csv, "rb").read()
    expect(body == want, f"CSV differs: {body[:200]!r} vs {want[:200]!r}")
    status, _, body = request(f"{url}api/events?format=csv&limit=2&offset=1")
    lines = want.decode().splitlines(True)
    expect(body.decode() == lines[0] + "".join(lines[2:4]), "a CSV page")


def bad_params(url):
    cases = [
        ("api/events?since=2021-13-01", "since: expected YYYY-MM-DD, got 2021-13-01"),
        ("api/events?until=yesterday", "until: expected YYYY-MM-DD, got yesterday"),
        ("api/events?since=2021-09-01&until=2021-08-01", "since: 2021-09-01 is after until"),
        ("api/events?limit=0", "limit: expected a whole number from 1 to 1000, got '0'"),
        ("api/events?limit=1001", "limit: expected"),
        ("api/events?limit=ten", "limit: expected"),
        ("api/events?offset=-1", "offset: expected"),
        ("api/events?limit=5&limit=6", "limit: given more than once"),
        ("api/events?colour=red", "unknown parameter 'colour'"),
        ("api/events?actor=rus", "actor: expected"),
        ("api/events?dyad=RUS", "dyad: expected A:B"),
        ("api/events?code=4", "code: expected"),
        ("api/events?root=4a", "root: expected"),
        ("api/events?format=xml", "format: expected json or csv"),
        ("api/dyads?limit=0", "limit: expected"),
        ("api/timeline?limit=5", "unknown parameter 'limit'"),
        ("api/health?x", "unknown parameter 'x'"),
    ]
    for path, msg in cases:
        status, hdr, body = request(url + path)
        expect(status == 400, f"{path}: status {status}")
        expect(hdr.get("Content-Type") == "application/json", f"{path}: type {hdr.get('Content-Type')}")
        err = json.loads(body)["error"]
        expect(msg in err, f"{path}: error {err!r} does not say {msg!r}")
    for path, want in (("api/nope", 404), ("nope.html", 404), ("api", 404)):
        status, _, body = request(url + path)
        expect(status == want and "error" in json.loads(body), f"{path}: {status} {body!r}")
    status, hdr, _ = request(url + "api/events", b"", method="POST")
    expect(status == 405 and "GET" in hdr.get("Allow", ""), f"POST /api/events: {status}")
    status, hdr, _ = request(url, method="DELETE")
    expect(status == 405, f"DELETE /: {status}")


def static(url):
    status, hdr, body = request(url)
    expect(status == 200 and hdr.get("Content-Type", "").startswith("text/html"), f"/: {status} {hdr.get('Content-Type')}")
    expect(b"<" in body, "/ is not HTML")
    expect(hdr.get("X-Content-Type-Options") == "nosniff", "no nosniff")
    csp = hdr.get("Content-Security-Policy", "")
    expect("default-src 'self'" in csp and "http" not in csp, f"CSP {csp!r}")
    tag = hdr.get("ETag")
    expect(tag and hdr.get("Cache-Control"), "no ETag or Cache-Control")
    status, hdr2, body = request(url, headers={"If-None-Match": tag})
    expect(status == 304 and not body, f"If-None-Match: {status}")
    status, hdr, body = request(url + "vendor/echarts.min.js")
    expect(status == 200 and hdr.get("Content-Type", "").startswith("text/javascript"), f"echarts: {hdr.get('Content-Type')}")
    expect(len(body) > 100000 and "max-age" in hdr.get("Cache-Control", ""), "echarts body or cache")
    status, hdr, body = request(url + "index.html", method="HEAD")
    expect(status == 200 and body == b"" and int(hdr.get("Content-Length", "0")) > 0, "HEAD")
    status, hdr, body = request(url + "api/health")
    expect(hdr.get("Cache-Control") == "no-store" and hdr.get("X-Content-Type-Options") == "nosniff", "API headers")


def raw_exchange(host, port, data, wait=TIMEOUT):
    """Send raw bytes; the reply's first line (or '' when closed)."""
    s = socket.create_connection((host, port), timeout=wait)
    try:
        s.sendall(data)
        buf = b""
        while b"\r\n" not in buf:
            chunk = s.recv(4096)
            if not chunk:
                break
            buf += chunk
        return buf.split(b"\r\n", 1)[0].decode("latin-1")
    finally:
        s.close()


def host_port(url):
    u = urllib.parse.urlsplit(url)
    return u.hostname, u.port


def big_headers(url):
    host, port = host_port(url)
    line = raw_exchange(host, port, b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: " +
                        b"a" * 200000 + b"\r\n\r\n")
    expect(" 431 " in line or line.endswith(" 431"), f"200 KB header: {line!r}")
    line = raw_exchange(host, port, b"GET /api/health?q=" + b"a" * 200000 + b" HTTP/1.1\r\nHost: x\r\n\r\n")
    expect(" 414 " in line or " 431 " in line, f"200 KB URI: {line!r}")
    line = raw_exchange(host, port, b"NONSENSE\r\n\r\n")
    expect(" 400 " in line or line == "", f"malformed request line: {line!r}")
    status, _, _ = request(url + "api/health")
    expect(status == 200, "still serving")


def slowloris(url):
    """A client that sends half a header and stalls holds a connection, not
    a thread: another request is answered meanwhile; the server closes the
    stalled one after its idle timeout."""
    host, port = host_port(url)
    slow = []
    for _ in range(4):
        s = socket.create_connection((host, port), timeout=60)
        s.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        slow.append(s)
    try:
        for _ in range(4):
            status, _, body = request(url + "api/health")
            expect(status == 200 and b'"ok"' in body, f"health while stalled: {status}")
        start = time.time()
        for s in slow:
            try:
                while s.recv(4096):
                    pass  # a 408 reply, then the close
            except (ConnectionResetError, socket.timeout):
                pass
        expect(time.time() - start < 60, "stalled connections never closed")
    finally:
        for s in slow:
            s.close()


def idle(url, n):
    """Many idle connections do not stop the server from answering."""
    host, port = host_port(url)
    conns = [socket.create_connection((host, port), timeout=30) for _ in range(int(n))]
    try:
        results = []

        def one():
            results.append(request(url + "api/health")[0])
        threads = [threading.Thread(target=one) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        expect(results == [200] * 8, f"with {n} idle connections: {results}")
    finally:
        for c in conns:
            c.close()


def per_ip(url, n):
    """Past the per-address limit a connection is closed unanswered; once
    the others close, requests are answered again."""
    host, port = host_port(url)
    conns = [socket.create_connection((host, port), timeout=30) for _ in range(int(n))]
    try:
        time.sleep(0.5)  # the server has accepted them
        try:
            line = raw_exchange(host, port, b"GET /api/health HTTP/1.1\r\nHost: x\r\n\r\n")
        except (ConnectionResetError, BrokenPipeError):
            line = ""
        expect(" 200 " not in line, f"connection {int(n) + 1} was served: {line!r}")
    finally:
        for c in conns:
            c.close()
    for _ in range(50):
        try:
            if request(url + "api/health")[0] == 200:
                return
        except (ConnectionResetError, urllib.error.URLError):
            pass
        time.sleep(0.2)
    raise Fail("not serving after the idle connections closed")


def parallel(url):
    """Requests from many clients at once all get their answers."""
    paths = ["api/health", "api/events?limit=3", "api/dyads", "api/timeline",
             "api/search?q=Putin", "", "api/events?code=04*"] * 6
    results = [None] * len(paths)

    def one(i):
        results[i] = request(url + paths[i])[0]
    threads = [threading.Thread(target=one, args=(i,)) for i in range(len(paths))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    expect(results == [200] * len(paths), f"statuses {results}")


def main():
    check, url, args = sys.argv[1], sys.argv[2], sys.argv[3:]
    try:
        globals()[check](url, *args)
    except Fail as e:
        print(f"# {check}: {e}")
        return 1
    except Exception as e:  # a crash of the check is a failure too
        print(f"# {check}: {type(e).__name__}: {e}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
