"""dask.py: codes JSON Lines shards on a Dask cluster (docs/scale-out.md).

One task per input shard. A task runs in a worker process, which loads the
dictionaries once (cached per process, shared by its threads: a finished
dictionary is read-only), and codes its shard with its own Coder. It writes
the shard's events as `dyad code` does to one event shard (a temporary name,
renamed when complete) and, given a store, ingests the same articles there
itself: dyad_store_add per article and a commit every `batch` articles and at
the end of the shard, as `dyad ingest` does.

Why the workers ingest, and not one process afterwards: coding is most of
the work and it scales with workers; the store's merge does not depend on
the order or the batches articles arrive in (docs/store.md), and concurrent
ingests into one PostgreSQL store take turns batch by batch (an advisory
lock), so N workers ingesting at once give the events of one `dyad ingest`
of the whole corpus, ids included. A task that is run again (a worker lost,
the command run twice) stores nothing twice: articles already stored with
the same content are skipped, and its event shard is rewritten whole.

Command line:  dyad-dask (or python3 -m dyad.dask) --help
"""
import argparse
import os
import sys
import threading
import time

from . import Coder, Dictionary, DyadError, Store

# Per worker process: the finished dictionaries, by what they were made of.
_DICTS = {}
_DICTS_LOCK = threading.Lock()


def worker_dictionary(dicts=(), builtin=True, cache=None):
    """The process's Dictionary for these options, loaded on first use."""
    key = (tuple(os.fspath(p) for p in dicts), bool(builtin), cache)
    with _DICTS_LOCK:
        d = _DICTS.get(key)
        if d is None or d.closed:
            d = _DICTS[key] = Dictionary(list(key[0]), builtin=builtin,
                                         cache=cache)
        return d


def event_path(out_dir, shard):
    """out_dir/NAME.events.jsonl for the shard NAME.jsonl (or NAME)."""
    name = os.path.basename(os.path.normpath(os.fspath(shard)))
    for ext in (".jsonl", ".ndjson", ".json"):
        if name.endswith(ext):
            name = name[: -len(ext)]
            break
    return os.path.join(out_dir, name + ".events.jsonl")


def code_shard(shard, out_path, db=None, dicts=(), builtin=True,
               default_date=None, cache=None, batch=500):
    """The task: code one shard into the event shard out_path and, when db
    is given, ingest its articles into that store. Returns a dict of
    figures: shard, events_file, worker (host:pid), seconds, and the Counts
    (articles, sentences, events, errors, added, replaced, unchanged)."""
    t0 = time.perf_counter()
    d = worker_dictionary(dicts, builtin, cache)
    tmp = f"{out_path}.tmp.{os.getpid()}.{threading.get_ident()}"
    try:
        with Coder(d, default_date=default_date) as coder, \
                open(tmp, "wb") as out:
            if db:
                with Store(db) as store:
                    counts = store.ingest(coder, [shard], batch=batch,
                                          out=out)
            else:
                counts = coder.write_jsonl([shard], out)
        os.replace(tmp, out_path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    res = counts.as_dict()
    res.update(shard=os.fspath(shard), events_file=out_path,
               worker=f"{os.uname().nodename}:{os.getpid()}",
               seconds=time.perf_counter() - t0)
    return res


def code_shards(client, shards, out_dir, db=None, dicts=(), builtin=True,
                default_date=None, cache=None, batch=500):
    """Code every shard on the cluster of client (a distributed.Client):
    one task per shard, event shards in out_dir, articles into db when given.
    Paths must be the same on every worker (a shared file system). Returns
    the tasks' figures, in the order of shards; a failed task raises."""
    shards = [os.path.abspath(os.fspath(s)) for s in shards]
    out_dir = os.path.abspath(os.fspath(out_dir))
    outs = [event_path(out_dir, s) for s in shards]
    if len(set(outs)) != len(outs):
        raise DyadError("two shards have the same name; their event shards "
                        "would collide in " + out_dir)
    os.makedirs(out_dir, exist_ok=True)
    dicts = [os.path.abspath(os.fspath(p)) for p in dicts]
    futures = client.map(code_shard, shards, outs, pure=False, db=db,
                         dicts=dicts, builtin=builtin,
                         default_date=default_date, cache=cache, batch=batch)
    return client.gather(futures)


def summary(results, seconds):
    """Totals of code_shards' figures, with the rates over wall time."""
    tot = {k: sum(r[k] for r in results) for k in
           ("articles", "sentences", "events", "errors", "added", "replaced",
            "unchanged")}
    tot["shards"] = len(results)
    tot["workers"] = len({r["worker"] for r in results})
    tot["seconds"] = seconds
    tot["task_seconds"] = sum(r["seconds"] for r in results)
    tot["articles_per_s"] = tot["articles"] / seconds if seconds else 0.0
    tot["sentences_per_s"] = tot["sentences"] / seconds if seconds else 0.0
    # one worker's rate: what its tasks did over the time they took
    ts = tot["task_seconds"]
    tot["worker_articles_per_s"] = tot["articles"] / ts if ts else 0.0
    tot["worker_sentences_per_s"] = tot["sentences"] / ts if ts else 0.0
    return tot


def _parser():
    p = argparse.ArgumentParser(
        prog="dyad-dask",
        description="Code JSON Lines shards on a Dask cluster: one event "
        "shard (JSON Lines, as dyad code writes) per input shard, and, with "
        "--db, the articles ingested into an event store (PostgreSQL for "
        "several hosts) as dyad ingest does.")
    p.add_argument("shards", nargs="+", metavar="SHARD",
                   help="JSON Lines (or plain-text) input shards; the paths "
                   "must be valid on every worker")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDR",
                       help="a running scheduler: tcp://host:8786")
    where.add_argument("--workers", type=int, metavar="N", default=None,
                       help="start a local cluster of N worker processes "
                       "(default, without --scheduler: one per CPU)")
    p.add_argument("--threads-per-worker", type=int, default=1, metavar="N",
                   help="threads of each local worker (default 1)")
    p.add_argument("-o", "--out", required=True, metavar="DIR",
                   help="folder of the event shards (NAME.events.jsonl)")
    p.add_argument("--db", metavar="DB",
                   help="event store to ingest into: postgresql://... (or a "
                   "SQLite file on a one-host cluster)")
    p.add_argument("--dict", action="append", default=[], metavar="PATH",
                   help="dictionary file or folder (repeatable)")
    p.add_argument("--no-builtin", action="store_true",
                   help="do not load the built-in dictionaries")
    p.add_argument("--no-cache", action="store_true",
                   help="parse the dictionaries, no compiled image")
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help="date of articles that carry none")
    p.add_argument("--batch", type=int, default=500, metavar="N",
                   help="articles per store transaction (default 500)")
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no line per shard")
    return p


def main(argv=None):
    """dyad-dask: exit 0 when every article was coded (and stored), 1 when
    something was skipped or failed, 2 on a usage error."""
    args = _parser().parse_args(argv)
    if args.batch < 1 or args.threads_per_worker < 1 or \
            (args.workers is not None and args.workers < 1):
        print("dyad-dask: error: --batch, --workers and --threads-per-worker "
              "want a number of at least 1", file=sys.stderr)
        return 2
    from . import date_valid
    if args.date and not date_valid(args.date):
        print(f"dyad-dask: error: bad --date '{args.date}' (want YYYY-MM-DD)",
              file=sys.stderr)
        return 2
    from distributed import Client, LocalCluster

    cluster = None
    if args.scheduler:
        client = Client(args.scheduler)
    else:
        cluster = LocalCluster(n_workers=args.workers or os.cpu_count(),
                               threads_per_worker=args.threads_per_worker,
                               processes=True, dashboard_address=None)
        client = Client(cluster)
    status = 0
    try:
        t0 = time.perf_counter()
        results = code_shards(client, args.shards, args.out, db=args.db,
                              dicts=args.dict, builtin=not args.no_builtin,
                              default_date=args.date,
                              cache=False if args.no_cache else None,
                              batch=args.batch)
        tot = summary(results, time.perf_counter() - t0)
        if not args.quiet:
            for r in results:
                print(f"{r['shard']}: {r['articles']} articles, "
                      f"{r['sentences']} sentences, {r['events']} events, "
                      f"{r['errors']} errors, {r['seconds']:.2f} s on "
                      f"{r['worker']}", file=sys.stderr)
        print(f"dyad-dask: {tot['shards']} shards on {tot['workers']} "
              f"workers: {tot['articles']} articles, {tot['sentences']} "
              f"sentences, {tot['events']} events, {tot['errors']} errors"
              + (f"; stored {tot['added']} added, {tot['replaced']} replaced, "
                 f"{tot['unchanged']} unchanged" if args.db else "")
              + f"; {tot['seconds']:.2f} s, {tot['articles_per_s']:.0f} "
              f"articles/s, {tot['sentences_per_s']:.0f} sentences/s; per "
              f"worker {tot['worker_articles_per_s']:.0f} articles/s, "
              f"{tot['worker_sentences_per_s']:.0f} sentences/s",
              file=sys.stderr)
        if tot["errors"]:
            status = 1
    except (DyadError, OSError) as e:
        print(f"dyad-dask: error: {e}", file=sys.stderr)
        status = 1
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
    return status


if __name__ == "__main__":
    # Run main of the module imported by name, not of __main__: the tasks
    # must refer to dyad.dask.code_shard, which the workers import.
    from dyad.dask import main as _main
    sys.exit(_main())
